"""The Excel exports of the duty lists (overview and a unit's list), the 约谈 list and the
committees' meetings: the user's scope, the page's filter, GET only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from responsibilities import committee_services, duty_services
from responsibilities.committee_models import CommitteeMeetingKind
from responsibilities.interview_services import draft_interview
from responsibilities.models import CommitteeMembership, OrganisationKind
from tests.exports_helpers import column, xlsx_rows
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def lists(county, county_officer):
    """小渡口镇 and 澧阳街道 each have a 2026 list; 小渡口镇 also one for 2025."""
    made = {}
    for owner, year in ((county.town, YEAR), (county.other_town, YEAR), (county.town, YEAR - 1)):
        duty_list = duty_services.create_duty_list(actor=county_officer, year=year, owner=owner)
        for content in ("开展安全检查", "组织应急演练"):
            duty_services.add_duty_item(
                actor=county_officer, duty_list_id=duty_list.pk, content=content
            )
        made[(owner.code, year)] = duty_list
    return made


def test_duty_overview_export_keeps_scope_and_year(
    lists, county_officer, town_official, client_for
):
    url = reverse("responsibilities:duty_overview_export")
    mine = xlsx_rows(client_for(town_official).get(url, {"year": YEAR}))
    assert column(mine, "责任单位") == ["小渡口镇"]  # not 澧阳街道's list
    assert column(mine, "事项数") == [2] and column(mine, "已完成") == [0]
    everyone = xlsx_rows(client_for(county_officer).get(url, {"year": YEAR}))
    assert sorted(column(everyone, "责任单位")) == ["小渡口镇", "澧阳街道"]
    last_year = xlsx_rows(client_for(county_officer).get(url, {"year": YEAR - 1}))
    assert column(last_year, "责任单位") == ["小渡口镇"]


def test_duty_list_export_is_the_units_list_behind_its_door(
    county, lists, town_official, other_town_official, client_for
):
    duty_list = lists[(county.town.code, YEAR)]
    url = reverse("responsibilities:duty_list_export", args=[duty_list.pk])
    rows = xlsx_rows(client_for(town_official).get(url))
    assert column(rows, "责任内容") == ["开展安全检查", "组织应急演练"]
    assert column(rows, "状态") == ["未完成", "未完成"]
    assert client_for(other_town_official).get(url).status_code == 404


def test_interview_export_keeps_scope_and_filter(
    county, county_officer, town_official, other_town_official, client_for
):
    base = {
        "reason_kind": "hazard_overdue",
        "reason_text": "重大隐患逾期",
        "date": timezone.localdate(),
    }
    draft_interview(actor=county_officer, summoned_unit=county.town, **base)
    draft_interview(actor=county_officer, summoned_unit=county.other_town, **base)
    url = reverse("responsibilities:interview_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert column(mine, "被约谈单位") == ["小渡口镇"]
    assert column(mine, "约谈事由") == ["隐患逾期未整改"]
    assert len(xlsx_rows(client_for(county_officer).get(url))) == 3
    held = xlsx_rows(client_for(county_officer).get(url, {"status": "held"}))
    assert held[1:] == []
    theirs = xlsx_rows(client_for(other_town_official).get(url))
    assert column(theirs, "被约谈单位") == ["澧阳街道"]


def test_committee_meeting_export_keeps_the_committee_filter(
    county, county_officer, town_official, enterprise_manager, client_for
):
    committees = []
    for code, name in (("WHP", "危险化学品专委会"), ("JZ", "建筑施工专委会")):
        committee = OrganisationFactory(code=code, name=name, kind=OrganisationKind.COMMITTEE)
        CommitteeMembership.objects.create(
            committee=committee, member=county.department, is_lead=True
        )
        committee_services.record_committee_meeting(
            actor=county_officer,
            committee_id=committee.pk,
            held_on=timezone.localdate() - datetime.timedelta(days=1),
            kind=CommitteeMeetingKind.ANALYSIS,
            topic=f"{name}会商",
            minutes="分析研判",
            attendees=[county.department],
            decisions="",
        )
        committees.append(committee)
    url = reverse("responsibilities:committee_meeting_export")
    every = xlsx_rows(client_for(town_official).get(url))
    assert sorted(column(every, "专委会")) == ["危险化学品专委会", "建筑施工专委会"]
    one = xlsx_rows(client_for(town_official).get(url, {"committee": committees[0].pk}))
    assert column(one, "议题") == ["危险化学品专委会会商"]
    assert column(one, "会议类型") == [CommitteeMeetingKind.ANALYSIS.label]
    assert client_for(enterprise_manager).get(url).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "responsibilities:duty_overview_export",
        "responsibilities:interview_export",
        "responsibilities:committee_meeting_export",
    ],
)
def test_exports_are_get_only(name, county_officer, client_for):
    assert client_for(county_officer).post(reverse(name)).status_code == 405


def test_duty_list_export_is_get_only(county, lists, county_officer, client_for):
    url = reverse("responsibilities:duty_list_export", args=[lists[(county.town.code, YEAR)].pk])
    assert client_for(county_officer).post(url).status_code == 405
