"""Which record each page URL with an id names, and how its other path parts are filled.

The walk (matrix_urls.py) fails on a page URL with an integer part that is in neither
URL_OBJECTS nor ROLE_GATED, and its message says exactly which line to add here.

URL_OBJECTS: url name -> (model label, {kwarg: attribute of the record}). The attribute
"pk" is the record's own id; "step" is filled with each step of the view's workflow
(found in the view's module); a value starting with "=" is a literal.
ROLE_GATED: url name -> why it names no record of a jurisdiction (reference data, the
county's configuration, a year): such URLs are checked in the write sweep (a wrong role's
POST changes nothing) and for the login redirect, not against the oracle.
"""

from __future__ import annotations

URL_OBJECTS: dict[str, tuple[str, dict[str, str]]] = {
    "notifications:read": ("notifications.Notification", {"pk": "pk"}),
    "enterprises:detail": ("enterprises.Enterprise", {"pk": "pk"}),
    "enterprises:edit": ("enterprises.Enterprise", {"pk": "pk"}),
    "enterprises:file_pdf": ("enterprises.Enterprise", {"pk": "pk"}),
    "enterprises:duty_add": ("enterprises.Enterprise", {"pk": "pk", "kind": "=staffing"}),
    "enterprises:duty_void": (
        "enterprises.SafetyStaffing",
        {"pk": "enterprise_id", "kind": "=staffing", "record_pk": "pk"},
    ),
    "enterprises:duty_document": (
        "enterprises.DutyDocument",
        {"pk": "enterprise_id", "record_pk": "pk"},
    ),
    "enterprises:duty_file": (
        "enterprises.DutyDocument",
        {"pk": "enterprise_id", "kind": "=documents", "record_pk": "pk"},
    ),
    "enterprises:assessment_detail": ("enterprises.SelfAssessment", {"pk": "pk"}),
    "enterprises:assessment_step": ("enterprises.SelfAssessment", {"pk": "pk", "step": "step"}),
    "enterprises:assessment_evidence": (
        "enterprises.AnswerEvidence",
        {"pk": "answer.assessment_id", "evidence_pk": "pk"},
    ),
    "hazards:detail": ("hazards.Hazard", {"pk": "pk"}),
    "hazards:slip_pdf": ("hazards.Hazard", {"pk": "pk"}),
    "hazards:step": ("hazards.Hazard", {"pk": "pk", "step": "step"}),
    "hazards:attachment": ("hazards.HazardAttachment", {"pk": "pk"}),
    "hazards:risk_edit": ("hazards.RiskPoint", {"pk": "pk"}),
    "hazards:raise_from_assessment": ("enterprises.AssessmentAnswer", {"answer_pk": "pk"}),
    "responsibilities:duty_list": ("responsibilities.DutyList", {"pk": "pk"}),
    "responsibilities:duty_item_add": ("responsibilities.DutyList", {"pk": "pk"}),
    "responsibilities:duty_list_copy": ("responsibilities.DutyList", {"pk": "pk"}),
    "responsibilities:duty_item_done": ("responsibilities.DutyItem", {"pk": "pk"}),
    "responsibilities:duty_item_step": ("responsibilities.DutyItem", {"pk": "pk", "step": "step"}),
    "responsibilities:duty_item_evidence": ("responsibilities.DutyItem", {"pk": "pk"}),
    "responsibilities:duty_list_export": ("responsibilities.DutyList", {"pk": "pk"}),
    "enforcement:plan_target_export": ("enforcement.InspectionPlan", {"pk": "pk"}),
    "responsibilities:interview_detail": ("responsibilities.Interview", {"pk": "pk"}),
    "responsibilities:interview_step": (
        "responsibilities.Interview",
        {"pk": "pk", "step": "step"},
    ),
    "responsibilities:appraisal_result": ("responsibilities.AppraisalResult", {"pk": "pk"}),
    "responsibilities:appraisal_result_report": (
        "responsibilities.AppraisalResult",
        {"pk": "pk"},
    ),
    "responsibilities:appraisal_result_progress": (
        "responsibilities.AppraisalResult",
        {"pk": "pk"},
    ),
    "responsibilities:appraisal_result_step": (
        "responsibilities.AppraisalResult",
        {"pk": "pk", "step": "step"},
    ),
    "enforcement:authority_authorisation": ("enforcement.TownAuthorisation", {"pk": "pk"}),
    "enforcement:authority_authorisation_edit": ("enforcement.TownAuthorisation", {"pk": "pk"}),
    "enforcement:authority_certificate_renew": ("enforcement.OfficerCertificate", {"pk": "pk"}),
    "enforcement:authority_certificate_revoke": ("enforcement.OfficerCertificate", {"pk": "pk"}),
    "enforcement:plan_detail": ("enforcement.InspectionPlan", {"pk": "pk"}),
    "enforcement:plan_targets_add": ("enforcement.InspectionPlan", {"pk": "pk"}),
    "enforcement:plan_target_edit": ("enforcement.PlanTarget", {"pk": "pk"}),
    "enforcement:plan_target_delete": ("enforcement.PlanTarget", {"pk": "pk"}),
    "enforcement:pairing_detail": ("enforcement.TownPairing", {"pk": "pk"}),
    "enforcement:pairing_edit": ("enforcement.TownPairing", {"pk": "pk"}),
    "enforcement:pairing_delete": ("enforcement.TownPairing", {"pk": "pk"}),
    "enforcement:pairing_visit_create": ("enforcement.TownPairing", {"pk": "pk"}),
    "enforcement:inspection_detail": ("enforcement.Inspection", {"pk": "pk"}),
    "enforcement:inspection_step": ("enforcement.Inspection", {"pk": "pk", "step": "step"}),
    "enforcement:inspection_finding_hazard": ("enforcement.Finding", {"pk": "pk"}),
    "enforcement:inspection_photo": ("enforcement.FindingPhoto", {"pk": "pk"}),
    "enforcement:case_detail": ("enforcement.Case", {"pk": "pk"}),
    "enforcement:case_step": ("enforcement.Case", {"pk": "pk", "step": "step"}),
    "enforcement:case_file_request": ("enforcement.Case", {"pk": "pk"}),
    "enforcement:case_file_status": ("enforcement.Case", {"pk": "pk"}),
    "enforcement:case_file_download": ("enforcement.Case", {"pk": "pk"}),
    "enforcement:exposure_publish": ("enforcement.Case", {"case_pk": "pk"}),
    "enforcement:accident_detail": ("enforcement.Accident", {"pk": "pk"}),
    "enforcement:accident_step": ("enforcement.Accident", {"pk": "pk", "step": "step"}),
    "enforcement:report_detail": ("enforcement.Report", {"pk": "pk"}),
    "enforcement:report_step": ("enforcement.Report", {"pk": "pk", "step": "step"}),
    "enforcement:report_reveal": ("enforcement.Report", {"pk": "pk"}),
    "enforcement:report_attachment": (
        "enforcement.ReportAttachment",
        {"pk": "report_id", "attachment_id": "pk"},
    ),
    "reports:detail": ("dashboard.Report", {"pk": "pk"}),
    "reports:status": ("dashboard.Report", {"pk": "pk"}),
    "reports:download": ("dashboard.Report", {"pk": "pk"}),
    "reports:regenerate": ("dashboard.Report", {"pk": "pk"}),
    "reports:preview": ("dashboard.Report", {"pk": "pk"}),
    "reports:issue": ("dashboard.Report", {"pk": "pk"}),
}

ROLE_GATED: dict[str, str] = {
    "core:schedule_change": "the county office's job schedules (configuration)",
    "enterprises:import_job": "a registry import, its uploader's (checked in tests/enterprises)",
    "hazards:bulletin": "a county-wide 通报 (bulletins are for every official)",
    "responsibilities:committee_detail": "a committee (reference data, the organisation tree)",
    "responsibilities:committee_meeting_record": "a committee's meeting form (county office)",
    "responsibilities:appraisal_scheme": "a year's scheme (the county office's)",
    "responsibilities:appraisal_scheme_copy": "a year's scheme (the county office's)",
    "responsibilities:appraisal_indicator_add": "a year's scheme (the county office's)",
    "responsibilities:appraisal_indicator_edit": "an indicator of a scheme (the county office's)",
    "responsibilities:appraisal_open": "a year's round (the county office's)",
    "responsibilities:appraisal_round": "a year's round, its results scoped on the page",
    "responsibilities:appraisal_round_progress": "a year's round progress",
    "responsibilities:appraisal_round_recompute": "a year's round (the county office's)",
    "responsibilities:appraisal_round_publish": "a year's round (the county office's)",
    "responsibilities:appraisal_round_report": "a year's round (leaders and the county office)",
    "responsibilities:appraisal_score_adjust": "an indicator score (behind its result's door)",
    "responsibilities:appraisal_score_evidence": "an indicator score (behind its result's door)",
    "enforcement:authority_item": "a delegated item (reference data: the catalogue of 119)",
    "enforcement:exposure_public_detail": "public (safetyportal/core/public.py)",
    "enforcement:exposure_withdraw": "a published snapshot (the county office's board)",
}
