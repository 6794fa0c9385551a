"""REST API under /api/v1/, its OpenAPI schema and docs.

API views are exempt from LoginRequiredMiddleware (token clients have no session when the
middleware runs); DRF's IsAuthenticated default protects them instead, and
tests/test_url_policy.py checks that every API view keeps it.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from enforcement.api import ROUTES as ENFORCEMENT_ROUTES
from enterprises.assessment.api import SelfAssessmentViewSet
from enterprises.duties.api import DUTY_VIEWSETS, ComplianceViewSet
from enterprises.registry.api import EnterpriseViewSet
from hazards.api import HazardViewSet, MajorHazardListingViewSet, ProgressEntryViewSet
from hazards.risk_api import RiskPointViewSet
from responsibilities.appraisal_api import ROUTES as APPRAISAL_ROUTES
from responsibilities.duty_api import ROUTES as DUTY_LIST_ROUTES
from responsibilities.interview_api import InterviewViewSet
from responsibilities.map_api import ROUTES as SUPERVISION_MAP_ROUTES
from safetyportal.api.auth import obtain_token

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
for _slug, _viewset in DUTY_VIEWSETS.items():
    router.register(f"duties/{_slug}", _viewset, basename=f"duty-{_slug}")
router.register("compliance", ComplianceViewSet, basename="compliance")
router.register("self-assessments", SelfAssessmentViewSet, basename="self-assessment")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("major-hazards", MajorHazardListingViewSet, basename="major-hazard")
router.register("hazard-progress", ProgressEntryViewSet, basename="hazard-progress")
router.register("risk-points", RiskPointViewSet, basename="risk-point")
for _prefix, _viewset, _basename in [*ENFORCEMENT_ROUTES, *DUTY_LIST_ROUTES]:
    router.register(_prefix, _viewset, basename=_basename)
router.register("interviews", InterviewViewSet, basename="interview")
# the year-end appraisal and the supervision map (issue 11)
for _prefix, _viewset, _basename in [*APPRAISAL_ROUTES, *SUPERVISION_MAP_ROUTES]:
    router.register(_prefix, _viewset, basename=_basename)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", obtain_token, name="api-token"),
    # schema and docs need a login too: SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script as a file (the Content Security Policy forbids
    # inline scripts); no Redoc: it needs inline styles and fonts from a CDN (ADR 0045)
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
