from django.urls import path

from hazards import assessment_views, list_exports, risk_views, views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("export/", views.hazard_export, name="export"),
    path("new/", views.hazard_create, name="create"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/slip.pdf", views.slip_pdf, name="slip_pdf"),
    path("<int:pk>/<slug:step>/", views.hazard_step, name="step"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("interviews/", views.interviews, name="interviews"),
    path("risks/", risk_views.risk_list, name="risks"),
    path("risks/export/", list_exports.risk_export, name="risk_export"),
    path(
        "assessment-flags/export/",
        list_exports.assessment_flags_export,
        name="assessment_flags_export",
    ),
    path("risks/new/", risk_views.risk_edit, name="risk_create"),
    path("risks/<int:pk>/edit/", risk_views.risk_edit, name="risk_edit"),
    # the ledger's side of the self-assessment (enterprises/assessment/ sits below hazards)
    path(
        "from-assessment/<int:answer_pk>/",
        assessment_views.raise_from_assessment,
        name="raise_from_assessment",
    ),
    path("assessment-flags/", assessment_views.assessment_flags, name="assessment_flags"),
]
