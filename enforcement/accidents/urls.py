"""Pages of this area (collected by enforcement/urls.py)."""

from django.urls import path

from enforcement import exports
from enforcement.accidents import views

urlpatterns: list = [
    path("accidents/export/", exports.accident_export, name="accident_export"),
    path("accidents/", views.accident_list, name="accident_list"),
    path("accidents/new/", views.accident_create, name="accident_create"),
    path("accidents/statistics/", views.accident_statistics, name="accident_statistics"),
    path("accidents/<int:pk>/", views.accident_detail, name="accident_detail"),
    path("accidents/<int:pk>/<slug:step>/", views.accident_step, name="accident_step"),
]
