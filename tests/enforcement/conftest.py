"""Enforcement on the county of tests/conftest.py:

    小渡口镇 (county.town)        general procedure, delegation in force, all items
    澧阳街道 (county.other_town)  simple procedure only, delegation in force, all items
    items: `fine_item` (警告 or 0.01-50,000 yuan, both procedures, delegated by 应急管理局),
           `general_only_item` (1-30,000 yuan, general only), `undelegated_item` (in no
           delegation)
    certified officers: town_official and `town_partner` (小渡口镇), other_town_official
    (澧阳街道), department_official (应急管理局); `uncertified_official` (小渡口镇) holds
    an expired certificate.

Each area keeps its fixtures in its own section.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from enforcement.authority.models import Procedure
from tests.enforcement.factories import (
    DelegatedItemFactory,
    OfficerCertificateFactory,
    TownAuthorisationFactory,
    days,
)
from tests.factories import TownUserFactory


@pytest.fixture
def powers(county, town_official, other_town_official, department_official):
    fine_item = DelegatedItemFactory(code="WT-001", delegating_department=county.department)
    general_only_item = DelegatedItemFactory(
        code="WT-002",
        name="生产经营单位未按规定组织开展安全生产教育和培训",
        delegating_department=county.department,
        allows_warning=False,
        min_fine=Decimal("1"),
        max_fine=Decimal("30000"),
        allows_simple=False,
    )
    undelegated_item = DelegatedItemFactory(
        code="WT-099", name="未经许可从事危险化学品经营", delegating_department=county.department
    )
    items = [fine_item, general_only_item]
    general = TownAuthorisationFactory(
        town=county.town, procedure_level=Procedure.GENERAL, items=items
    )
    simple = TownAuthorisationFactory(
        town=county.other_town, procedure_level=Procedure.SIMPLE, items=items
    )
    town_partner = TownUserFactory(
        username="town_partner", display_name="钱执法", organisation=county.town
    )
    uncertified = TownUserFactory(
        username="uncertified_official", display_name="冯无证", organisation=county.town
    )
    for officer in (town_official, town_partner, other_town_official, department_official):
        OfficerCertificateFactory(officer=officer)
    OfficerCertificateFactory(officer=uncertified, issued_on=days(-800), expires_on=days(-1))
    return SimpleNamespace(
        fine_item=fine_item,
        general_only_item=general_only_item,
        undelegated_item=undelegated_item,
        general_authorisation=general,
        simple_authorisation=simple,
        town_partner=town_partner,
        uncertified_official=uncertified,
    )


# --- plans -------------------------------------------------------------------------------

# --- inspections -------------------------------------------------------------------------


@pytest.fixture
def checklists(county):
    """The general checklist (3 items) and the 危险化学品 one (2 items)."""
    from tests.enforcement.factories import ChecklistTemplateFactory

    return SimpleNamespace(
        general=ChecklistTemplateFactory(),
        chem=ChecklistTemplateFactory(
            industry=county.industry_a,
            title="危险化学品企业检查表",
            items=["重大危险源登记建档", "可燃气体报警装置完好"],
        ),
    )


@pytest.fixture
def log(powers, checklists, town_official):
    """log(actor=town_official, **changes): a draft inspection of 小渡口建筑工程公司 today,
    by town_official and town_partner, with one finding, through the service."""
    from enforcement.inspections import services

    def make(actor=None, **changes):
        actor = actor or town_official
        values = {
            "enterprise": changes.pop("enterprise", None) or _enterprise_of(actor),
            "inspected_on": days(0),
            "officers": [actor.pk],
            "acknowledged_by": "周经理",
            "findings": [services.FindingInput(description="安全出口堵塞", location="一楼仓库")],
        }
        values.update(changes)
        return services.log_inspection(actor=actor, **values)

    return make


def _enterprise_of(actor):
    from enterprises.models import Enterprise

    return Enterprise.objects.visible_to(actor).order_by("pk").first()


# --- cases -------------------------------------------------------------------------------


@pytest.fixture
def general_case(powers, county, town_official):
    """A general case of 小渡口镇 against 小渡口建筑工程公司, filed today (status FILED)."""
    from enforcement.cases import services

    return services.open_general_case(
        actor=town_official,
        item=powers.fine_item,
        party_kind="organisation",
        enterprise=county.xdk_build,
        facts="未在有较大危险因素的场所设置安全警示标志",
        officers=[town_official, powers.town_partner],
    )


# --- accidents and exposure --------------------------------------------------------------
