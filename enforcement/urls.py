"""The enforcement pages, one URL module per area (names stay flat: enforcement:<name>)."""

from enforcement.accidents.urls import urlpatterns as accidents
from enforcement.authority.urls import urlpatterns as authority
from enforcement.cases.urls import urlpatterns as cases
from enforcement.exposure.urls import urlpatterns as exposure
from enforcement.inspections.urls import urlpatterns as inspections
from enforcement.plans.urls import urlpatterns as plans
from enforcement.reports.urls import urlpatterns as reports

app_name = "enforcement"
urlpatterns = [*authority, *plans, *inspections, *cases, *accidents, *exposure, *reports]
