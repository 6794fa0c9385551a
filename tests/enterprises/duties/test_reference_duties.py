"""The duty reference data (mandated industries, ...) against the county's industries
(fixtures/industries.json) and domain-notes §7."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.utils import timezone

from enterprises.duties.compliance import Check, Status
from enterprises.duties.models import (
    InsuranceMandate,
    ProjectType,
    SafetyCost,
    SafetyCostObligation,
    SafetyCostRate,
)
from enterprises.duties.selectors import compliance_of
from enterprises.models import Enterprise
from enterprises.reference import ensure_insurance_mandates, ensure_safety_cost_reference
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


# issue 8 item 2: 安全生产费用 by industry (reference data of migration 0012)


def _results(enterprise_pk):
    enterprise = Enterprise.objects.with_duty_records().get(pk=enterprise_pk)
    return {r.check: r for r in compliance_of(enterprise, today=timezone.localdate())}


def test_a_hotel_or_a_shop_is_not_asked_for_a_safety_cost_record(industries, county):
    ensure_safety_cost_reference()
    for code in ("cyzs", "ryjj"):
        unit = EnterpriseFactory(town=county.town, industry=industries[code])
        assert _results(unit.pk)[Check.SAFETY_COST].status == Status.PASS, code
    chemicals = EnterpriseFactory(town=county.town, industry=industries["whp"])
    assert _results(chemicals.pk)[Check.SAFETY_COST].status == Status.MISSING


def test_seeded_rate_tables_show_a_builders_shortfall(
    industries, county, town_official, client_for
):
    ensure_safety_cost_reference()
    assert SafetyCostRate.objects.filter(industry=industries["jzsg"]).count() == 5
    assert SafetyCostRate.objects.filter(industry=industries["yhbz"]).count() == 3
    assert not SafetyCostRate.objects.exclude(industry__code__in=("jzsg", "yhbz")).exists()
    builder = EnterpriseFactory(town=county.town, industry=industries["jzsg"])
    SafetyCost.objects.create(
        enterprise=builder,
        year=timezone.localdate().year,
        project_type=ProjectType.MUNICIPAL,
        base_amount=Decimal("2000"),
        rate_percent=Decimal("1"),
        extracted=Decimal("20"),
        used=Decimal("10"),
    )
    result = _results(builder.pk)[Check.SAFETY_COST]
    assert result.status == Status.SHORTFALL
    assert "应提取30.00万元" in result.message and "少提取10.00万元" in result.message
    page = client_for(town_official).get(f"/enterprises/{builder.pk}/").content.decode()
    assert "提取不足" in page and "少提取10.00万元" in page


def test_safety_cost_migration_seeds_obligations_and_is_reversible(industries):
    migration = importlib.import_module("enterprises.migrations.0012_seed_safety_cost_reference")
    migration.seed(global_apps, None)
    obligated = set(SafetyCostObligation.objects.values_list("industry__code", flat=True))
    assert {"jzsg", "yhbz", "whp", "fmks", "dlys"} <= obligated
    assert not {"cyzs", "ryjj", "xx-ms"} & obligated
    migration.unseed(global_apps, None)
    assert not SafetyCostObligation.objects.exists() and not SafetyCostRate.objects.exists()
