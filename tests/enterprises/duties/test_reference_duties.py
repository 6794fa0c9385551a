"""The duty reference data (mandated industries, ...) against the county's industries
(fixtures/industries.json) and domain-notes §7."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.utils import timezone

from enterprises.duties.compliance import Check, Status
from enterprises.duties.models import InsuranceMandate
from enterprises.duties.selectors import compliance_of
from enterprises.models import Enterprise
from enterprises.reference import ensure_insurance_mandates
from responsibilities.models import Industry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def industries():
    call_command("loaddata", "fixtures/industries.json", verbosity=0)
    return {i.code: i for i in Industry.objects.all()}


def _mandated_codes() -> set[str]:
    return set(InsuranceMandate.objects.values_list("industry__code", flat=True))


def test_every_high_risk_industry_of_the_county_must_insure(industries):
    """The county's high-risk industries all fall under the 2025 办法's list (矿山、危险化学品
    incl. 经营 (加油站, 城镇燃气)、烟花爆竹、交通运输、建筑施工、金属冶炼)."""
    ensure_insurance_mandates()
    high_risk = {code for code, industry in industries.items() if industry.is_high_risk}
    assert {"jyz", "czrq"} <= high_risk
    assert _mandated_codes() == high_risk


def test_data_migration_adds_fuel_stations_and_gas(industries):
    migration = importlib.import_module(
        "enterprises.migrations.0007_insurance_mandates_fuel_and_gas"
    )
    migration.seed(global_apps, None)
    assert {"jyz", "czrq"} <= _mandated_codes()
    migration.unseed(global_apps, None)
    assert not {"jyz", "czrq"} & _mandated_codes()


def test_a_petrol_station_without_policy_is_told_insurance_is_missing(industries, county):
    ensure_insurance_mandates()
    for code in ("jyz", "czrq"):
        station = EnterpriseFactory(town=county.town, industry=industries[code])
        enterprise = Enterprise.objects.with_duty_records().get(pk=station.pk)
        results = {r.check: r for r in compliance_of(enterprise, today=timezone.localdate())}
        assert results[Check.INSURANCE].status == Status.MISSING, code
