"""What the API answers can be sent back; nullable is documented; dates are plausible
(issue 8 item 27)."""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from enterprises.duties.forms import CertificateForm
from hazards.forms import HazardReportForm
from hazards.models import Hazard
from tests.hazards.factories import RiskPointFactory
from tests.hazards.test_hazard_api import post_hazard
from tests.test_related_field_scope import api_serializer_classes

WRITABLE_RISK_FIELDS = [
    "name",
    "hazard_factors",
    "likelihood",
    "exposure",
    "consequence",
    "control_measures",
    "responsible_person",
    "check_frequency",
]


def test_risk_point_get_then_patch_and_put_the_same_values_back(
    api_client_for, county, enterprise_manager
):
    point = RiskPointFactory(enterprise=county.xdk_build)
    client = api_client_for(enterprise_manager)
    url = f"/api/v1/risk-points/{point.pk}/"
    got = client.get(url).json()
    assert got["exposure"] == 6.0  # Decimal("6.0") as stored
    body = {name: got[name] for name in WRITABLE_RISK_FIELDS}
    patched = client.patch(url, body, format="json")
    assert patched.status_code == 200, patched.json()
    put = client.put(url, {**body, "enterprise": got["enterprise"]}, format="json")
    assert put.status_code == 200, put.json()
    assert {k: put.json()[k] for k in body} == body


@pytest.mark.parametrize("value", [3, 3.0, "3", "3.0", "3.00"])
def test_lec_factors_accept_any_spelling_of_the_number(
    api_client_for, county, enterprise_manager, value
):
    point = RiskPointFactory(enterprise=county.xdk_build)
    response = api_client_for(enterprise_manager).patch(
        f"/api/v1/risk-points/{point.pk}/", {"exposure": value}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["exposure"] == 3.0


@pytest.mark.parametrize("value", [4, "abc", True, "", None])
def test_lec_factors_refuse_what_is_not_a_choice(api_client_for, county, enterprise_manager, value):
    point = RiskPointFactory(enterprise=county.xdk_build)
    response = api_client_for(enterprise_manager).patch(
        f"/api/v1/risk-points/{point.pk}/", {"exposure": value}, format="json"
    )
    assert response.status_code == 400


def test_risk_point_edit_page_shows_the_stored_lec_choices(client_for, county, enterprise_manager):
    point = RiskPointFactory(enterprise=county.xdk_build)
    page = client_for(enterprise_manager).get(reverse("hazards:risk_edit", args=[point.pk]))
    html = page.content.decode()
    assert html.count("selected") >= 4  # L, E, C and the check frequency


def test_hazard_with_an_empty_optional_phone_is_accepted_and_reads_back(
    api_client_for, county, enterprise_manager
):
    client = api_client_for(enterprise_manager)
    created = post_hazard(client, county.xdk_build.pk, responsible_phone="")
    assert created.status_code == 201, created.json()
    got = client.get(f"/api/v1/hazards/{created.json()['id']}/").json()
    assert got["responsible_phone"] == ""
    again = post_hazard(
        client,
        got["enterprise"],
        **{
            k: got[k]
            for k in (
                "description",
                "location",
                "found_on",
                "deadline",
                "responsible_person",
                "responsible_phone",
            )
        },
    )
    assert again.status_code == 201, again.json()


def test_every_optional_text_field_accepts_an_empty_string(db):
    for serializer_class in api_serializer_classes():
        try:
            serializer = serializer_class()
        except TypeError:
            continue
        for name, field in serializer.fields.items():
            if (
                isinstance(field, serializers.CharField)
                and not field.read_only
                and not field.required
            ):
                assert field.allow_blank, (serializer_class.__name__, name)


def _model_field(model, source: str):
    field = None
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        model = field.related_model
    return field


def test_every_field_that_can_answer_null_is_documented_nullable(db):
    request = APIRequestFactory().get("/")
    request.user = None
    checked = []
    for serializer_class in api_serializer_classes():
        meta = getattr(serializer_class, "Meta", None)
        if meta is None or not hasattr(meta, "model"):
            continue
        serializer = serializer_class(context={"request": request})
        for name, field in serializer.fields.items():
            if field.source == "*" or isinstance(field, serializers.SerializerMethodField):
                continue
            model_field = _model_field(meta.model, field.source)
            if isinstance(model_field, models.Field) and model_field.null:
                checked.append((serializer_class.__name__, name))
                assert field.allow_null, (serializer_class.__name__, name)
    assert ("MajorHazardListingSerializer", "closed_on") in checked


def test_the_schema_documents_closed_on_as_nullable(client_for, county_officer):
    schema = client_for(county_officer).get("/api/schema/?format=json").json()
    for component in ("MajorHazardListing", "Hazard"):
        assert schema["components"]["schemas"][component]["properties"]["closed_on"]["nullable"]


# --- plausible dates ------------------------------------------------------------------------


@pytest.mark.parametrize("found_on", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_api_refuses_an_implausible_found_on(api_client_for, county, enterprise_manager, found_on):
    response = post_hazard(
        api_client_for(enterprise_manager), county.xdk_build.pk, found_on=found_on
    )
    assert response.status_code == 400
    assert "found_on" in response.json()
    assert not Hazard.objects.exists()


def test_found_on_may_not_be_in_the_future_and_deadlines_not_decades_ahead(
    api_client_for, county, enterprise_manager
):
    client = api_client_for(enterprise_manager)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert (
        post_hazard(client, county.xdk_build.pk, found_on=tomorrow.isoformat()).status_code == 400
    )
    response = post_hazard(client, county.xdk_build.pk, deadline="9999-01-01")
    assert response.status_code == 400 and "deadline" in response.json()
    in_a_year = timezone.localdate() + datetime.timedelta(days=365)
    assert (
        post_hazard(client, county.xdk_build.pk, deadline=in_a_year.isoformat()).status_code == 201
    )


def test_forms_refuse_implausible_dates(county, enterprise_manager):
    form = HazardReportForm(
        {
            "enterprise": county.xdk_build.pk,
            "source": "self_check",
            "location": "y",
            "description": "x",
            "found_on": "0001-01-01",
            "deadline": "9999-01-01",
            "responsible_person": "z",
        },
        user=enterprise_manager,
    )
    assert not form.is_valid()
    assert {"found_on", "deadline"} <= set(form.errors)
    certificate = CertificateForm(
        {"worker_name": "王", "category": "电工", "number": "1", "expires_on": "9999-01-01"}
    )
    assert not certificate.is_valid() and "expires_on" in certificate.errors


def test_duty_api_refuses_implausible_dates(api_client_for, county, enterprise_manager):
    body = {
        "enterprise": county.xdk_build.pk,
        "worker_name": "王电工",
        "category": "电工作业",
        "number": "T1",
        "expires_on": "0001-01-01",
    }
    response = api_client_for(enterprise_manager).post(
        "/api/v1/duties/certificates/", body, format="json"
    )
    assert response.status_code == 400 and "expires_on" in response.json()


@pytest.mark.parametrize("year", [1, 1999, 9999])
def test_safety_cost_year_must_be_plausible_in_the_form_and_the_api(
    api_client_for, county, enterprise_manager, year
):
    from enterprises.duties.forms import SafetyCostForm

    values = {"year": year, "base_amount": "100", "rate_percent": "1.5", "extracted": "1.5"}
    values["used"] = "1"
    form = SafetyCostForm(values, enterprise=county.xdk_build)
    assert not form.is_valid() and "year" in form.errors
    response = api_client_for(enterprise_manager).post(
        "/api/v1/duties/costs/", {**values, "enterprise": county.xdk_build.pk}, format="json"
    )
    assert response.status_code == 400 and "year" in response.json()
