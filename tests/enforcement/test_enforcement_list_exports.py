"""The Excel exports of the enforcement lists beyond inspections, cases and accidents
(plans, pairings, 只检查不执法, the exposure board's management, 屡罚不改, the legal frame):
each keeps the user's scope and the page's filter, and is GET only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.exposure.services import publish_case
from enforcement.inspections import services as inspection_services
from tests.enforcement.factories import (
    ClosedCaseFactory,
    InspectionPlanFactory,
    OfficerCertificateFactory,
    PlanTargetFactory,
    TownPairingFactory,
    days,
)
from tests.exports_helpers import column, xlsx_rows
from tests.factories import TownUserFactory

YEAR = timezone.localdate().year


@pytest.mark.parametrize(
    "name",
    [
        "enforcement:plan_progress_export",
        "enforcement:pairing_export",
        "enforcement:unfollowed_export",
        "enforcement:exposure_export",
        "enforcement:repeat_offender_export",
        "enforcement:authority_item_export",
        "enforcement:authority_authorisation_export",
        "enforcement:authority_officer_export",
    ],
)
def test_list_exports_are_get_only(name, county_officer, client_for):
    assert client_for(county_officer).post(reverse(name)).status_code == 405


def test_plan_target_export_is_get_only(county, county_officer, client_for):
    plan = InspectionPlanFactory(unit=county.town)
    url = reverse("enforcement:plan_target_export", args=[plan.pk])
    assert client_for(county_officer).post(url).status_code == 405


def test_plan_progress_export_keeps_scope_and_year(
    county, town_official, county_officer, client_for
):
    plan = InspectionPlanFactory(unit=county.town)
    PlanTargetFactory(plan=plan, enterprise=county.xdk_build, month=12, assigned_to=town_official)
    InspectionPlanFactory(unit=county.other_town)
    url = reverse("enforcement:plan_progress_export")
    rows = xlsx_rows(client_for(town_official).get(url, {"year": YEAR}))
    assert column(rows, "名称") == ["小渡口镇"]  # not the other town's plan
    assert column(rows, "计划") == [1]
    everyone = column(xlsx_rows(client_for(county_officer).get(url, {"year": YEAR})), "名称")
    assert {"小渡口镇", "澧阳街道"} <= set(everyone)
    last_year = xlsx_rows(client_for(town_official).get(url, {"year": YEAR - 1}))
    assert column(last_year, "计划") == [0]  # the unit without a plan that year


def test_plan_target_export_keeps_the_filter_and_the_plans_door(
    county, town_official, other_town_official, client_for
):
    plan = InspectionPlanFactory(unit=county.town)
    PlanTargetFactory(plan=plan, enterprise=county.xdk_build, month=3, assigned_to=town_official)
    PlanTargetFactory(plan=plan, enterprise=county.xdk_chem, month=9, assigned_to=town_official)
    url = reverse("enforcement:plan_target_export", args=[plan.pk])
    rows = xlsx_rows(client_for(town_official).get(url))
    assert column(rows, "检查对象") == ["小渡口建筑工程公司", "小渡口化工有限公司"]
    march = xlsx_rows(client_for(town_official).get(url, {"month": 3}))
    assert column(march, "检查对象") == ["小渡口建筑工程公司"]
    assert client_for(other_town_official).get(url).status_code == 404


def test_pairing_export_keeps_scope_and_year(
    county, county_officer, town_official, leader, client_for
):
    TownPairingFactory(town=county.town, chief=leader)
    TownPairingFactory(town=county.other_town, chief=leader)
    TownPairingFactory(town=county.town, chief=leader, year=YEAR - 1)
    url = reverse("enforcement:pairing_export")
    assert column(xlsx_rows(client_for(town_official).get(url)), "镇街") == ["小渡口镇"]
    everyone = column(xlsx_rows(client_for(county_officer).get(url)), "镇街")
    assert sorted(everyone) == ["小渡口镇", "澧阳街道"]
    last_year = xlsx_rows(client_for(county_officer).get(url, {"year": YEAR - 1}))
    assert column(last_year, "年度") == [YEAR - 1]


def test_unfollowed_export_keeps_scope_and_year(
    log, town_official, other_town_official, county_officer, client_for
):
    for actor in (town_official, other_town_official):
        inspection = log(actor=actor)
        inspection_services.submit_inspection(actor=actor, inspection_id=inspection.pk)
    url = reverse("enforcement:unfollowed_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert column(mine, "检查单位") == ["小渡口镇"]
    assert len(xlsx_rows(client_for(county_officer).get(url))) == 3
    assert xlsx_rows(client_for(county_officer).get(url, {"year": YEAR - 1}))[1:] == []


def test_exposure_export_follows_the_tab_and_is_for_the_county_office(
    county, powers, town_official, county_officer, client_for
):
    published = ClosedCaseFactory(
        enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
    )
    ClosedCaseFactory(enterprise=county.xdk_chem, item=powers.fine_item, created_by=town_official)
    publish_case(actor=county_officer, case_id=published.pk)
    url = reverse("enforcement:exposure_export")
    candidates = xlsx_rows(client_for(county_officer).get(url))
    assert column(candidates, "当事人") == ["小渡口化工有限公司"]
    shown = xlsx_rows(client_for(county_officer).get(url, {"show": "published"}))
    assert column(shown, "当事人") == ["小渡口建筑工程公司"]
    assert column(shown, "决定书文号") == [published.decision_number]
    assert client_for(town_official).get(url).status_code == 403


def test_repeat_offender_export_keeps_scope(
    county, powers, town_official, other_town_official, county_officer, client_for
):
    for enterprise, officer in (
        (county.xdk_build, town_official),
        (county.ly_build, other_town_official),
    ):
        for age in (5, 20, 40):
            ClosedCaseFactory(
                enterprise=enterprise,
                item=powers.fine_item,
                created_by=officer,
                decided_on=days(-age),
            )
    url = reverse("enforcement:repeat_offender_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert column(mine, "企业名称") == ["小渡口建筑工程公司"]
    assert column(mine, "180 日内处罚") == [3]
    assert column(mine, "建议提请关闭") == ["否"]
    everyone = column(xlsx_rows(client_for(county_officer).get(url)), "企业名称")
    assert sorted(everyone) == ["小渡口建筑工程公司", "澧阳建设集团"]


def test_item_export_keeps_the_filter(county, powers, town_official, client_for):
    url = reverse("enforcement:authority_item_export")
    everything = column(xlsx_rows(client_for(town_official).get(url)), "事项编码")
    assert everything == ["WT-001", "WT-002", "WT-099"]
    general = xlsx_rows(client_for(town_official).get(url, {"q": "培训"}))
    assert column(general, "事项编码") == ["WT-002"]
    assert column(general, "可适用简易程序") == ["否"]


def test_authorisation_export_keeps_scope(
    county, powers, town_official, county_officer, client_for
):
    url = reverse("enforcement:authority_authorisation_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert column(mine, "镇街") == ["小渡口镇"]
    assert column(mine, "状态") == ["有效"]
    assert column(mine, "委托事项") == [2]
    everyone = column(xlsx_rows(client_for(county_officer).get(url)), "镇街")
    assert sorted(everyone) == ["小渡口镇", "澧阳街道"]


def test_officer_export_keeps_scope_and_filter(
    county, powers, town_official, county_officer, client_for
):
    url = reverse("enforcement:authority_officer_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert set(column(mine, "单位")) == {"小渡口镇"}  # not 澧阳街道's or the department's
    assert sorted(column(mine, "状态")) == ["已过期", "有效", "有效"]
    expired = xlsx_rows(client_for(town_official).get(url, {"status": "invalid"}))
    assert column(expired, "执法人员") == ["冯无证"]
    other = TownUserFactory(username="soon", display_name="陈将到期", organisation=county.town)
    OfficerCertificateFactory(officer=other, expires_on=days(10))
    soon = xlsx_rows(client_for(county_officer).get(url, {"status": "expiring"}))
    assert column(soon, "状态") == ["即将到期"]
