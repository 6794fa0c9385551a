"""The supervision-map API: the years, one year's map per industry (lead, co-operating
departments, the town's role, that year's duty items), the map page's rule per role, no
writes, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responsibilities import duty_services
from tests.factories import AssignmentFactory, SupervisionMapFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision-maps/"


@pytest.fixture
def year(county):
    map_ = county.supervision_map
    AssignmentFactory(
        supervision_map=map_,
        industry=county.industry_a,
        department=county.other_department,
        is_lead=False,
        town_role="属地巡查",
    )
    SupervisionMapFactory(year=map_.year - 1)
    return map_.year


def _add_items(county, county_officer, year: int, n: int) -> None:
    duty_list = county.department.duty_lists.filter(
        year=year
    ).first() or duty_services.create_duty_list(
        actor=county_officer, year=year, owner=county.department
    )
    for i in range(n):
        duty_services.add_duty_item(
            actor=county_officer,
            duty_list_id=duty_list.pk,
            content=f"危化品监管{i}",
            industry=county.industry_a if i % 2 == 0 else county.industry_b,
        )


def test_years_and_a_years_map(year, county, county_officer, api_client_for):
    _add_items(county, county_officer, year, 3)
    client = api_client_for(county_officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert [row["year"] for row in response.json()["results"]] == [year, year - 1]
    body = client.get(f"{URL}{year}/").json()
    chem = next(row for row in body["industries"] if row["code"] == "CHEM")
    assert chem["lead"]["name"] == "应急管理局"
    assert [d["name"] for d in chem["cooperating"]] == ["住建局"]
    assert chem["town_role"] == "属地巡查"
    assert [item["content"] for item in chem["duty_items"]] == ["危化品监管0", "危化品监管2"]
    assert chem["duty_items"][0]["owner_name"] == "应急管理局"
    build = next(row for row in body["industries"] if row["code"] == "BUILD")
    assert build["lead"]["name"] == "住建局"
    assert [item["content"] for item in build["duty_items"]] == ["危化品监管1"]
    old = client.get(f"{URL}{year - 1}/").json()
    assert old["industries"] == []  # old years stay readable
    assert client.get(f"{URL}1999/").status_code == 404


def test_same_rule_as_the_page(
    year, api_client_for, leader, department_official, town_official, enterprise_manager, expert
):
    for user in (leader, department_official, town_official):
        assert api_client_for(user).get(URL).status_code == 200
        assert api_client_for(user).get(f"{URL}{year}/").status_code == 200
    for user in (enterprise_manager, expert):
        response = api_client_for(user).get(URL)
        assert response.status_code == 403 and "机关用户" in response.json()["detail"]
        assert api_client_for(user).get(f"{URL}{year}/").status_code == 403


def test_no_writes(year, api_client_for, county_officer):
    client = api_client_for(county_officer)
    assert client.post(URL, {}, format="json").status_code == 405
    assert client.delete(f"{URL}{year}/").status_code == 405


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_count_constant(year, county, county_officer, api_client_for):
    client = api_client_for(county_officer)
    _add_items(county, county_officer, year, 1)
    few = (_count(client, URL), _count(client, f"{URL}{year}/"))
    _add_items(county, county_officer, year, 8)
    SupervisionMapFactory(year=year - 2)
    assert (_count(client, URL), _count(client, f"{URL}{year}/")) == few
