from django.urls import path

from enterprises.assessment import exports as assessment_exports
from enterprises.assessment import views as assessment
from enterprises.duties import exports as duty_exports
from enterprises.duties import views as duties
from enterprises.importing import views as importing
from enterprises.registry import exports as registry_exports
from enterprises.registry import views as registry

app_name = "enterprises"
urlpatterns = [
    path("", registry.enterprise_list, name="list"),
    path("new/", registry.enterprise_create, name="create"),
    path("export/", importing.enterprise_export, name="export"),
    path("import/", importing.import_upload, name="import"),
    path("import/template/", importing.import_template, name="import_template"),
    path("import/<int:pk>/", importing.import_job, name="import_job"),
    path("compliance/", duties.compliance_followup, name="compliance"),
    path("compliance/export/", duty_exports.compliance_export, name="compliance_export"),
    path(
        "supervision-gaps/export/",
        registry_exports.supervision_gaps_export,
        name="supervision_gaps_export",
    ),
    path("assessments/export/", assessment_exports.assessment_export, name="assessment_export"),
    path(
        "assessments/missing/export/",
        assessment_exports.assessment_missing_export,
        name="assessment_missing_export",
    ),
    path("supervision-gaps/", registry.supervision_gaps, name="supervision_gaps"),
    path("assessments/", assessment.assessment_list, name="assessment_list"),
    path("assessments/start/", assessment.assessment_start, name="assessment_start"),
    path("assessments/missing/", assessment.assessment_missing, name="assessment_missing"),
    path("assessments/<int:pk>/", assessment.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/step/<slug:step>/",
        assessment.assessment_step,
        name="assessment_step",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/",
        assessment.evidence_download,
        name="assessment_evidence",
    ),
    path("<int:pk>/", registry.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", registry.enterprise_edit, name="edit"),
    path("<int:pk>/file.pdf", duties.enterprise_file_pdf, name="file_pdf"),
    path("<int:pk>/duties/<slug:kind>/add/", duties.duty_add, name="duty_add"),
    path(
        "<int:pk>/duties/<slug:kind>/<int:record_pk>/void/",
        duties.duty_void,
        name="duty_void",
    ),
    path(
        "<int:pk>/documents/<int:record_pk>/",
        duties.duty_document_download,
        name="duty_document",
    ),
    path(
        "<int:pk>/duties/<slug:kind>/<int:record_pk>/file/",
        duties.duty_file_download,
        name="duty_file",
    ),
]
