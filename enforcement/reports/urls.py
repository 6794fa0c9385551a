"""Pages of this area (collected by enforcement/urls.py). The three public ones are named
in safetyportal/core/public.py."""

from django.urls import path

from enforcement.reports import views

urlpatterns: list = [
    path("report/", views.public_new, name="report_public_new"),
    path("report/status/", views.public_status, name="report_public_status"),
    path(
        "report/enterprise-names/",
        views.public_enterprise_names,
        name="report_public_enterprise_names",
    ),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export/", views.report_export, name="report_export"),
    path("reports/statistics/", views.report_statistics, name="report_statistics"),
    path("reports/reveal-grants/", views.reveal_grants, name="report_reveal_grants"),
    path("reports/reveal-grants/add/", views.reveal_grant_add, name="report_reveal_grant_add"),
    path(
        "reports/reveal-grants/revoke/",
        views.reveal_grant_revoke,
        name="report_reveal_grant_revoke",
    ),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/step/<slug:step>/", views.report_step, name="report_step"),
    path("reports/<int:pk>/reveal/", views.report_reveal, name="report_reveal"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_id>/",
        views.report_attachment,
        name="report_attachment",
    ),
]
