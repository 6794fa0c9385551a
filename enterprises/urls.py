from django.urls import path

from enterprises import views, views_assessment, views_duties, views_import

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export/", views_import.enterprise_export, name="export"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template/", views_import.import_template, name="import_template"),
    path("import/<int:pk>/", views_import.import_job, name="import_job"),
    path("compliance/", views_duties.compliance_followup, name="compliance"),
    path("assessments/", views_assessment.assessment_list, name="assessment_list"),
    path("assessments/start/", views_assessment.assessment_start, name="assessment_start"),
    path("assessments/missing/", views_assessment.assessment_missing, name="assessment_missing"),
    path("assessments/flags/", views_assessment.assessment_flags, name="assessment_flags"),
    path("assessments/<int:pk>/", views_assessment.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/save/", views_assessment.assessment_save, name="assessment_save"),
    path(
        "assessments/<int:pk>/review/", views_assessment.assessment_review, name="assessment_review"
    ),
    path(
        "assessments/<int:pk>/items/<int:answer_pk>/hazard/",
        views_assessment.assessment_raise_hazard,
        name="assessment_raise_hazard",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/",
        views_assessment.evidence_download,
        name="assessment_evidence",
    ),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/file.pdf", views_duties.enterprise_file_pdf, name="file_pdf"),
    path("<int:pk>/duties/<slug:kind>/add/", views_duties.duty_add, name="duty_add"),
    path(
        "<int:pk>/duties/<slug:kind>/<int:record_pk>/delete/",
        views_duties.duty_delete,
        name="duty_delete",
    ),
    path(
        "<int:pk>/documents/<int:record_pk>/",
        views_duties.duty_document_download,
        name="duty_document",
    ),
]
