from django.urls import path

from safetyportal.dashboard import dashboard_views

app_name = "dashboard"
urlpatterns = [
    path("", dashboard_views.dashboard_page, name="index"),
    path("briefing/", dashboard_views.briefing, name="briefing"),
    path("export/", dashboard_views.export, name="export"),
]
