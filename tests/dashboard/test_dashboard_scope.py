"""Who sees which dashboard: the county office and leaders the county's (and any town's),
a town official only their own town's, a department official their industries'; an
enterprise or an expert none. The export and the briefing follow the same rule; the
pages only answer GET."""

from __future__ import annotations

import pytest
from django.test import Client

from safetyportal.dashboard.figures import Figure

PAGES = ["/dashboard/", "/dashboard/briefing/", "/dashboard/export/"]


def figures(response) -> dict[str, int]:
    return {f.key: f.value for s in response.context["data"]["sections"] for f in s.figures}


@pytest.mark.parametrize("persona", ["county_officer", "leader"])
def test_the_county_office_and_leaders_see_the_county(request, small_county, persona):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/dashboard/", {"year": small_county.year})
    assert response.status_code == 200
    assert figures(response)["found"] == 6
    assert response.context["data"]["rankings"] is not None
    assert "全县安全生产数据看板" in response.content.decode()


def test_a_town_official_sees_only_their_town(small_county, town_official, county):
    client = Client()
    client.force_login(town_official)
    response = client.get("/dashboard/", {"year": small_county.year})
    assert response.status_code == 200
    got = figures(response)
    assert (got["found"], got["accidents"], got["cases"], got["risk_blue"]) == (4, 2, 3, 0)
    assert response.context["data"]["rankings"] is None  # no other town's figures
    assert "小渡口镇安全生产数据看板" in response.content.decode()
    # naming another town changes nothing: the scope is their own
    other = client.get("/dashboard/", {"year": small_county.year, "town": county.other_town.pk})
    assert figures(other)["found"] == 4
    assert "澧阳街道" not in other.content.decode()


def test_a_department_official_sees_their_industries(small_county, department_official):
    client = Client()
    client.force_login(department_official)
    response = client.get("/dashboard/", {"year": small_county.year})
    assert response.status_code == 200
    got = figures(response)
    # 应急管理局 supervises industry A: xdk_chem's four hazards, insurance at xdk_chem
    assert (got["found"], got["major_found"], got["compliance_insurance"]) == (4, 2, 1)
    assert (got["compliance_documents"], got["risk_blue"], got["risk_red"]) == (0, 0, 1)
    assert response.context["data"]["rankings"] is None


@pytest.mark.parametrize("persona", ["enterprise_manager", "expert", "outsider"])
@pytest.mark.parametrize("path", PAGES)
def test_enterprises_experts_and_accounts_without_a_role_get_no_dashboard(
    request, small_county, persona, path
):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_need_a_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_only_answer_get(county_officer, path):
    client = Client()
    client.force_login(county_officer)
    assert client.post(path).status_code == 405


def test_an_unknown_town_is_not_found(county_officer):
    client = Client()
    client.force_login(county_officer)
    assert client.get("/dashboard/", {"town": 999999}).status_code == 404
    assert client.get("/dashboard/", {"town": "abc"}).status_code == 404


def test_a_figure_is_a_plain_record():
    figure = Figure("found", "排查隐患", 3, "/hazards/")
    assert figure.counts_list_rows
