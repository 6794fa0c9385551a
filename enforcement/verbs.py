"""The enforcement app's audit verbs, one dictionary per area (collected by
safetyportal/audit/verbs.py)."""

from enforcement.accidents.verbs import VERBS as ACCIDENTS
from enforcement.authority.verbs import VERBS as AUTHORITY
from enforcement.cases.verbs import VERBS as CASES
from enforcement.exposure.verbs import VERBS as EXPOSURE
from enforcement.inspections.verbs import VERBS as INSPECTIONS
from enforcement.plans.verbs import VERBS as PLANS
from enforcement.reports.verbs import VERBS as REPORTS

VERBS = {**AUTHORITY, **PLANS, **INSPECTIONS, **CASES, **ACCIDENTS, **EXPOSURE, **REPORTS}
