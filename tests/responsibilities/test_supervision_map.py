"""The supervision map page (issue 11 item 2): visibility per role, the changes from the
previous year computed from a hand-built pair of maps, constant query counts, and the
监管空白 list in the enterprises app."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.registry.models import EnterpriseStatus
from responsibilities.map_services import map_changes, map_with_previous, map_years
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    SupervisionMapFactory,
)

pytestmark = pytest.mark.django_db
MAP_URL = reverse("responsibilities:supervision_map")
GAPS_URL = reverse("enterprises:supervision_gaps")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.fixture
def last_year(county):
    """Last year's map: A led by 住建局 with 应急管理局 co-operating, plus a removed
    industry; this year's (the county's): A led by 应急管理局, B by 住建局 (added)."""
    old = SupervisionMapFactory(year=timezone.localdate().year - 1, title="去年的划分")
    gone = IndustryFactory(code="GONE", name="已撤销行业")
    AssignmentFactory(
        supervision_map=old, industry=county.industry_a, department=county.other_department
    )
    AssignmentFactory(
        supervision_map=old, industry=county.industry_a, department=county.department, is_lead=False
    )
    AssignmentFactory(supervision_map=old, industry=gone, department=county.department)
    return old, gone


def test_the_changes_from_the_previous_year(county, last_year):
    old, gone = last_year
    coop = DepartmentFactory(name="消防救援大队")
    AssignmentFactory(
        supervision_map=county.supervision_map,
        industry=county.industry_b,
        department=coop,
        is_lead=False,
    )
    selected, previous, rows, previous_rows = map_with_previous(map_years(), None)
    assert (selected, previous) == (county.supervision_map, old)
    changes = map_changes(previous_rows, rows)
    assert changes.added_industries == [county.industry_b]
    assert changes.removed_industries == [gone]
    [change] = changes.changed
    assert change.industry == county.industry_a
    assert change.lead_changed
    assert (change.old_lead, change.new_lead) == (county.other_department, county.department)
    assert change.added == [] and change.removed == [county.department]
    # the same map compared with itself has no changes
    assert not map_changes(rows, rows)


def test_old_years_stay_readable(county, last_year, client_for, leader):
    old, gone = last_year
    body = client_for(leader).get(MAP_URL + f"?year={old.year}").content.decode()
    assert "去年的划分" in body and "已撤销行业" in body
    body = client_for(leader).get(MAP_URL).content.decode()
    assert "新增行业" in body and "移除行业" in body and "已撤销行业" in body


def test_map_page_by_role(
    county,
    client_for,
    county_officer,
    leader,
    department_official,
    town_official,
    enterprise_manager,
    expert,
):
    for user in (county_officer, leader, department_official, town_official):
        response = client_for(user).get(MAP_URL)
        assert response.status_code == 200
        assert "危险化学品" in response.content.decode()
    for user in (enterprise_manager, expert):
        assert client_for(user).get(MAP_URL).status_code == 403
    assert client_for(county_officer).post(MAP_URL).status_code == 405


def test_map_page_queries_do_not_grow_with_industries(county, last_year, client_for, leader):
    client = client_for(leader)
    before = _count(client, MAP_URL)
    for _n in range(5):
        industry = IndustryFactory()
        AssignmentFactory(supervision_map=county.supervision_map, industry=industry)
        AssignmentFactory(
            supervision_map=county.supervision_map,
            industry=industry,
            department=DepartmentFactory(),
            is_lead=False,
        )
    assert _count(client, MAP_URL) == before


# --- 监管空白 (enterprises:supervision_gaps) -------------------------------------------------


@pytest.fixture
def unmapped(county):
    """An industry with no assignment in the current map, an operating enterprise in each
    town, and a closed one (not listed)."""
    industry = IndustryFactory(code="EBIKE", name="电动自行车充电")
    return (
        EnterpriseFactory(name="小渡口充电站", town=county.town, industry=industry),
        EnterpriseFactory(name="澧阳充电站", town=county.other_town, industry=industry),
        EnterpriseFactory(
            name="已关闭充电站",
            town=county.town,
            industry=industry,
            status=EnterpriseStatus.CLOSED,
        ),
    )


def test_gap_list_shows_unmapped_industries_only(
    county, unmapped, client_for, county_officer, leader
):
    for user in (county_officer, leader):
        page = client_for(user).get(GAPS_URL).context["page"]
        assert {e.name for e in page} == {"小渡口充电站", "澧阳充电站"}


def test_a_town_sees_its_own_gaps(county, unmapped, client_for, town_official, other_town_official):
    assert [e.name for e in client_for(town_official).get(GAPS_URL).context["page"]] == [
        "小渡口充电站"
    ]
    assert [e.name for e in client_for(other_town_official).get(GAPS_URL).context["page"]] == [
        "澧阳充电站"
    ]


def test_gap_list_refused_to_others(
    county, client_for, department_official, enterprise_manager, expert
):
    for user in (department_official, enterprise_manager, expert):
        assert client_for(user).get(GAPS_URL).status_code == 403


def test_gap_list_query_count_constant(county, unmapped, client_for, county_officer):
    client = client_for(county_officer)
    before = _count(client, GAPS_URL)
    for _n in range(5):
        EnterpriseFactory(town=county.other_town, industry=IndustryFactory())
    assert _count(client, GAPS_URL) == before


def test_the_registry_links_to_the_gap_list(
    county, client_for, county_officer, department_official
):
    assert GAPS_URL in client_for(county_officer).get(reverse("enterprises:list")).content.decode()
    assert (
        GAPS_URL
        not in client_for(department_official).get(reverse("enterprises:list")).content.decode()
    )


# --- the duty items per industry on the page (issue 11 item 2) --------------------------------


def _add_duty_items(county, actor, n: int) -> None:
    from responsibilities import duty_services

    year = county.supervision_map.year
    duty_list = county.department.duty_lists.filter(
        year=year
    ).first() or duty_services.create_duty_list(actor=actor, year=year, owner=county.department)
    for i in range(n):
        duty_services.add_duty_item(
            actor=actor,
            duty_list_id=duty_list.pk,
            content=f"危化品监管事项{i}",
            industry=county.industry_a if i % 2 == 0 else county.industry_b,
        )


def test_the_map_page_shows_each_industrys_duty_items(county, client_for, county_officer):
    _add_duty_items(county, county_officer, 3)
    response = client_for(county_officer).get(MAP_URL)
    rows = {row.industry.code: row for row in response.context["rows"]}
    assert [i.content for i in rows["CHEM"].duty_items] == ["危化品监管事项0", "危化品监管事项2"]
    assert [i.content for i in rows["BUILD"].duty_items] == ["危化品监管事项1"]
    body = response.content.decode()
    assert body.count('data-testid="map-duty-items"') == 2  # one collapsed list per industry
    assert "<details" in body and "危化品监管事项2" in body and "应急管理局" in body


def test_the_map_page_costs_the_same_queries_for_few_or_many_duty_items(
    county, client_for, county_officer
):
    client = client_for(county_officer)
    _add_duty_items(county, county_officer, 1)
    before = _count(client, MAP_URL)
    _add_duty_items(county, county_officer, 8)
    for _n in range(3):
        AssignmentFactory(supervision_map=county.supervision_map, industry=IndustryFactory())
    assert _count(client, MAP_URL) == before
