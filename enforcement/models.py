"""The app's models, one module per sub-domain; imported here so Django finds them under
the app label `enforcement`.

authority/models.py     delegated items, town authorisations, certificates, document counters
plans/models.py         annual inspection plans and their monthly targets
inspections/models.py   inspections, checklists, findings
cases/models.py         penalty cases (simple and general procedure)
accidents/models.py     production-safety accidents, 补报, investigations
exposure/models.py      the public exposure board's snapshots of published cases
reports/models.py       whistleblower reports, the reporter's encrypted identity, rewards
"""

from enforcement.accidents.models import (
    Accident,
    AccidentGrade,
    AccidentKind,
    AccidentSupplement,
    InvestigationStatus,
)
from enforcement.authority.models import (
    DelegatedItem,
    DocumentCounter,
    OfficerCertificate,
    PartyKind,
    Procedure,
    TownAuthorisation,
)
from enforcement.cases.models import (
    Case,
    CaseDocument,
    CaseStatus,
    DocumentKind,
    Evidence,
    EvidenceKind,
    PenaltyKind,
)
from enforcement.exposure.models import ExposedCase
from enforcement.inspections.models import (
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionAnswer,
    InspectionStatus,
)
from enforcement.plans.models import (
    GuidanceVisit,
    InspectionPlan,
    PlanTarget,
    TargetKind,
    TownPairing,
)
from enforcement.reports.models import (
    Report,
    ReportAttachment,
    ReporterIdentity,
    ReportUserObjectPermission,
    RevealGrant,
    Reward,
    RewardRule,
)

__all__ = [
    "Accident",
    "AccidentGrade",
    "AccidentKind",
    "AccidentSupplement",
    "InvestigationStatus",
    "Answer",
    "Case",
    "CaseDocument",
    "CaseStatus",
    "ChecklistItem",
    "ChecklistTemplate",
    "DelegatedItem",
    "DocumentCounter",
    "ExposedCase",
    "Report",
    "ReportAttachment",
    "ReporterIdentity",
    "ReportUserObjectPermission",
    "RevealGrant",
    "Reward",
    "RewardRule",
    "DocumentKind",
    "Evidence",
    "EvidenceKind",
    "Finding",
    "GuidanceVisit",
    "FindingPhoto",
    "Inspection",
    "InspectionAnswer",
    "InspectionPlan",
    "InspectionStatus",
    "OfficerCertificate",
    "PartyKind",
    "PenaltyKind",
    "PlanTarget",
    "Procedure",
    "TargetKind",
    "TownAuthorisation",
    "TownPairing",
]
