from django.urls import path

from safetyportal.dashboard.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_request, name="request"),
    path("export/", views.report_export, name="export"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/regenerate/", views.report_regenerate, name="regenerate"),
    path("<int:pk>/preview/", views.report_preview, name="preview"),
    path("<int:pk>/issue/", views.report_issue, name="issue"),
]
