"""The app's models, one module per sub-domain; imported here so Django finds them under
the app label `enforcement`.

authority/models.py     delegated items, town authorisations, certificates, document counters
plans/models.py         annual inspection plans and their monthly targets
inspections/models.py   inspections, checklists, findings
cases/models.py         penalty cases (simple and general procedure)
"""

from enforcement.authority.models import (
    DelegatedItem,
    DocumentCounter,
    OfficerCertificate,
    PartyKind,
    Procedure,
    TownAuthorisation,
)
from enforcement.cases.models import Case, CaseStatus, PenaltyKind
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
from enforcement.plans.models import InspectionPlan, PlanTarget, TargetKind

__all__ = [
    "Answer",
    "Case",
    "CaseStatus",
    "ChecklistItem",
    "ChecklistTemplate",
    "DelegatedItem",
    "DocumentCounter",
    "Finding",
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
]
