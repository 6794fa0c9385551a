"""Pages of this area (collected by enforcement/urls.py)."""

from django.urls import path

from enforcement import exports
from enforcement.cases import views

urlpatterns: list = [
    path("cases/export/", exports.case_export, name="case_export"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/file/", views.case_file_request, name="case_file_request"),
    path("cases/<int:pk>/file/status/", views.case_file_status, name="case_file_status"),
    path("cases/<int:pk>/file/pdf/", views.case_file_download, name="case_file_download"),
]
