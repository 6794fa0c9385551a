"""Pages of this area (collected by enforcement/urls.py)."""

urlpatterns: list = []
