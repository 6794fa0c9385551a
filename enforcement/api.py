"""The enforcement API routes, one list per area (registered by safetyportal/api/urls.py)."""

from enforcement.accidents.api import ROUTES as ACCIDENTS
from enforcement.authority.api import ROUTES as AUTHORITY
from enforcement.cases.api import ROUTES as CASES
from enforcement.exposure.api import ROUTES as EXPOSURE
from enforcement.inspections.api import ROUTES as INSPECTIONS
from enforcement.plans.api import ROUTES as PLANS
from enforcement.reports.api import ROUTES as REPORTS

ROUTES = [*AUTHORITY, *PLANS, *INSPECTIONS, *CASES, *ACCIDENTS, *EXPOSURE, *REPORTS]
