"""The app's models, one module per sub-domain; imported here so Django finds them under
the app label `enterprises` (tables and migrations are unchanged by the split).

registry/models.py      Enterprise and the per-enterprise grants of experts
duties/models.py        statutory-duty records and the mandatory-insurance industries
assessment/models.py    the self-assessment: template, periods, grade bands, answers
importing/models.py     Excel import jobs of the registry
"""

from enterprises.assessment.models import (
    AnswerEvidence,
    AssessmentAnswer,
    AssessmentPeriod,
    AssessmentStatus,
    AssessmentTemplate,
    Grade,
    GradeBand,
    SelfAssessment,
    TemplateItem,
)
from enterprises.duties.models import (
    ComplianceStatus,
    DutyDocument,
    EmergencyDrill,
    EmergencyPlan,
    InsuranceMandate,
    LiabilityInsurance,
    ProjectType,
    SafetyCost,
    SafetyCostObligation,
    SafetyCostRate,
    SafetyStaffing,
    SpecialOperationCertificate,
    TrainingRecord,
)
from enterprises.importing.models import ImportJob, ImportStatus
from enterprises.registry.models import (
    Enterprise,
    EnterpriseScale,
    EnterpriseStatus,
    EnterpriseUserObjectPermission,
)

__all__ = [
    "ComplianceStatus",
    "AnswerEvidence",
    "AssessmentAnswer",
    "AssessmentPeriod",
    "AssessmentStatus",
    "AssessmentTemplate",
    "DutyDocument",
    "EmergencyDrill",
    "EmergencyPlan",
    "Enterprise",
    "EnterpriseScale",
    "EnterpriseStatus",
    "EnterpriseUserObjectPermission",
    "Grade",
    "GradeBand",
    "ImportJob",
    "ImportStatus",
    "InsuranceMandate",
    "ProjectType",
    "LiabilityInsurance",
    "SafetyCost",
    "SafetyCostObligation",
    "SafetyCostRate",
    "SafetyStaffing",
    "SelfAssessment",
    "SpecialOperationCertificate",
    "TemplateItem",
    "TrainingRecord",
]
