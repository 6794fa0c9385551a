"""Every related field of every serializer and form offers, and accepts, only what the
user may see (issue 8 item 22): no drop-down lists the registry, and an out-of-scope id is
refused exactly like a missing one."""

from __future__ import annotations

import datetime
import importlib
import inspect

import pytest
from django import forms
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.test import APIRequestFactory, force_authenticate

from hazards.risk_api import RiskPointViewSet
from safetyportal.api.urls import router
from safetyportal.core.scoping import has_door, is_reference_model
from tests.hazards.factories import RiskPointFactory

ROLES = [
    "county_officer",
    "leader",
    "department_official",
    "town_official",
    "enterprise_manager",
    "expert",
    "outsider",
]
PROJECT_PACKAGES = ("hazards", "enterprises", "responsibilities", "enforcement", "safetyportal")


def _project_classes(base, modules):
    for name in modules:
        importlib.import_module(name)
    seen, stack = set(), [base]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(
        (c for c in seen if c.__module__.split(".")[0] in PROJECT_PACKAGES),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def api_serializer_classes():
    """The serializers of every viewset on the router, and every serializer the project
    defines (the step actions' request bodies are not the viewsets' serializer_class)."""
    classes = {viewset.serializer_class for _, viewset, _ in router.registry}
    classes |= {
        getattr(viewset, "get_serializer_class", None) and _viewset_serializer(viewset)
        for _, viewset, _ in router.registry
    }
    classes |= set(_project_classes(serializers.BaseSerializer, ["safetyportal.api.urls"]))
    return sorted(
        (
            c
            for c in classes
            if c is not None
            and inspect.isclass(c)
            and not (issubclass(c, serializers.ModelSerializer) and not hasattr(c, "Meta"))
        ),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def _viewset_serializer(viewset):
    view = viewset()
    view.action, view.request, view.kwargs, view.format_kwarg = "create", None, {}, None
    try:
        return view.get_serializer_class()
    except AssertionError:
        return None


def writable_related_fields(serializer, path=""):
    """(dotted name, field) for each related field a client may write, nested included."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, ManyRelatedField):
            yield f"{path}{name}", field.child_relation
        elif isinstance(field, RelatedField):
            yield f"{path}{name}", field
        elif isinstance(field, serializers.ListSerializer):
            yield from writable_related_fields(field.child, f"{path}{name}.")
        elif isinstance(field, serializers.Serializer):
            yield from writable_related_fields(field, f"{path}{name}.")


def visible_pks(model, user) -> set:
    if has_door(model):
        return set(model._default_manager.visible_to(user).values_list("pk", flat=True))
    assert is_reference_model(model), f"{model._meta.label} has no door"
    return set(model._default_manager.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_every_writable_related_field_of_every_serializer_is_within_the_roles_scope(
    request, county, role
):
    user = request.getfixturevalue(role)
    RiskPointFactory(enterprise=county.ly_chem)
    api_request = APIRequestFactory().get("/api/v1/")
    force_authenticate(api_request, user=user)
    api_request.user = user
    checked = []
    for serializer_class in api_serializer_classes():
        try:
            serializer = serializer_class(context={"request": api_request})
        except TypeError:  # a serializer that needs arguments of its own
            continue
        for name, field in writable_related_fields(serializer):
            queryset = field.get_queryset()
            model = queryset.model
            offered = set(queryset.values_list("pk", flat=True))
            assert offered <= visible_pks(model, user), (serializer_class.__name__, name)
            checked.append((serializer_class.__name__, name))
    # the walk found the fields that matter (a walk that finds nothing proves nothing)
    assert ("HazardReport", "enterprise") in checked
    assert ("RiskPointSerializer", "enterprise") in checked
    assert ("SafetyStaffingSerializer", "enterprise") in checked


def test_enterprise_role_is_offered_its_own_enterprise_only(rf_api_user, county):
    serializer = rf_api_user("enterprise_manager")
    field = serializer.fields["enterprise"]
    assert list(field.get_queryset()) == [county.xdk_build]


@pytest.fixture
def rf_api_user(request):
    def make(role):
        from hazards.risk_api import RiskPointSerializer

        user = request.getfixturevalue(role)
        api_request = APIRequestFactory().get("/api/v1/risk-points/")
        api_request.user = user
        return RiskPointSerializer(context={"request": api_request})

    return make


def test_a_serializer_without_a_request_offers_nothing(county):
    from hazards.api import HazardReportSerializer

    assert not HazardReportSerializer().fields["enterprise"].get_queryset().exists()


def project_form_classes():
    return _project_classes(
        forms.BaseForm,
        [
            "hazards.forms",
            "hazards.risk_forms",
            "enterprises.registry.forms",
            "enterprises.duties.forms",
            "enterprises.assessment.forms",
            "enterprises.importing.forms",
            "safetyportal.accounts.views",
        ],
    )


def test_every_model_choice_field_of_every_form_offers_no_registry_rows_until_scoped(db):
    """A form's declared choices are reference data or nothing; registry rows (those
    behind a door) are added per user in __init__ through scope_choice_fields."""
    found = []
    for form_class in project_form_classes():
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            found.append((form_class.__name__, name))
            if has_door(model):
                assert field.queryset.query.is_empty(), (form_class.__name__, name)
            else:
                assert is_reference_model(model), (form_class.__name__, name)
    assert ("HazardReportForm", "enterprise") in found


@pytest.mark.parametrize("role", ROLES)
def test_forms_that_take_a_user_offer_only_what_the_user_sees(request, county, role):
    from enterprises.registry.forms import EnterpriseForm
    from hazards.forms import HazardReportForm

    user = request.getfixturevalue(role)
    for form in (HazardReportForm(user=user), EnterpriseForm(user=user)):
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                offered = set(field.queryset.values_list("pk", flat=True))
                assert offered <= visible_pks(field.queryset.model, user), (form, name)


# --- the concrete leak and the existence oracle -------------------------------------------


@pytest.fixture
def browsable_risk_points(monkeypatch):
    """The browsable API as DEBUG or the demo serves it (production answers JSON only)."""
    monkeypatch.setattr(RiskPointViewSet, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])


def test_browsable_api_lists_no_other_enterprise_to_an_enterprise(
    browsable_risk_points, client_for, county, enterprise_manager, settings
):
    settings.DEBUG = False
    response = client_for(enterprise_manager).get("/api/v1/risk-points/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="enterprise"' in page  # the form is there, with the caller's enterprise
    assert county.xdk_build.name in page
    for other in (county.xdk_chem, county.ly_chem, county.ly_build):
        assert other.name not in page


def test_production_api_answers_json_only(client_for, enterprise_manager, county):
    response = client_for(enterprise_manager).get(
        "/api/v1/risk-points/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
    )
    assert response["Content-Type"].startswith("application/json")
    assert county.ly_chem.name not in response.content.decode()


RISK_POINT = {
    "name": "配电房",
    "hazard_factors": "触电",
    "likelihood": "3",
    "exposure": "6",
    "consequence": "7",
    "control_measures": "绝缘防护",
    "responsible_person": "周经理",
    "check_frequency": "daily",
}


def _missing_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/risk-points/", RISK_POINT),
        ("/api/v1/duties/staffing/", {"has_safety_body": True, "full_time_staff": 1}),
        (
            "/api/v1/hazards/",
            {
                "source": "self_check",
                "description": "x",
                "location": "y",
                "deadline": (datetime.date.today() + datetime.timedelta(days=5)).isoformat(),
                "responsible_person": "z",
            },
        ),
    ],
)
def test_out_of_scope_enterprise_is_refused_like_a_missing_one(
    api_client_for, county, enterprise_manager, url, body
):
    from enterprises.models import Enterprise

    client = api_client_for(enterprise_manager)
    missing = _missing_id(Enterprise)
    other = county.ly_chem.pk
    refused_missing = client.post(url, {**body, "enterprise": missing}, format="json")
    refused_other = client.post(url, {**body, "enterprise": other}, format="json")
    assert refused_missing.status_code == refused_other.status_code == 400
    assert refused_other.json() == {
        key: [m.replace(str(missing), str(other)) for m in messages]
        for key, messages in refused_missing.json().items()
    }
