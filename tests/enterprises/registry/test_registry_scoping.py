"""Who sees which enterprises, on the pages and through the API (mission.md §1).

The county fixture (tests/conftest.py) has four enterprises:
xdk_chem and xdk_build in 小渡口镇, ly_chem and ly_build in 澧阳街道; the *_chem ones are in
industry A (supervised by 应急管理局), the *_build ones in industry B (住建局).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssignmentFactory, DepartmentUserFactory, SupervisionMapFactory

ALL = {"xdk_chem", "xdk_build", "ly_chem", "ly_build"}

VISIBLE = {
    "county_officer": ALL,
    "leader": ALL,
    "department_official": {"xdk_chem", "ly_chem"},
    "town_official": {"xdk_chem", "xdk_build"},
    "other_town_official": {"ly_chem", "ly_build"},
    "enterprise_manager": {"xdk_build"},
    "expert": {"ly_build"},
    "outsider": set(),
}

LIST_URL = reverse("enterprises:list")
API_LIST_URL = "/api/v1/enterprises/"


def names(county, keys):
    return {getattr(county, key).name for key in keys}


def page_names(response):
    assert response.status_code == 200
    return {e.name for e in response.context["page"].object_list}


def api_names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


# --- the role matrix --------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_enterprise_list_page_shows_exactly_the_personas_enterprises(
    persona, request, county, client_for
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(LIST_URL)
    if user.enterprise_id:
        # an enterprise account is sent to its own file (issue 8 item 17)
        assert response.status_code == 302
        response = client_for(user).get(response.url)
        assert response.context["enterprise"].name in names(county, VISIBLE[persona])
    else:
        assert page_names(response) == names(county, VISIBLE[persona])
    html = response.content.decode()
    for key in ALL - VISIBLE[persona]:
        assert getattr(county, key).name not in html


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_enterprise_api_list_returns_exactly_the_personas_enterprises(
    persona, request, county, api_client_for
):
    user = request.getfixturevalue(persona)
    response = api_client_for(user).get(API_LIST_URL)
    assert api_names(response) == names(county, VISIBLE[persona])
    assert response.json()["count"] == len(VISIBLE[persona])


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_enterprise_detail_page_is_404_outside_the_personas_scope(
    persona, request, county, client_for
):
    client = client_for(request.getfixturevalue(persona))
    for key in sorted(ALL):
        enterprise = getattr(county, key)
        response = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
        expected = 200 if key in VISIBLE[persona] else 404
        assert response.status_code == expected, (persona, key)
        if expected == 200:
            assert enterprise.uscc in response.content.decode()


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_enterprise_api_detail_is_404_outside_the_personas_scope(
    persona, request, county, api_client_for
):
    client = api_client_for(request.getfixturevalue(persona))
    for key in sorted(ALL):
        enterprise = getattr(county, key)
        response = client.get(f"{API_LIST_URL}{enterprise.pk}/")
        expected = 200 if key in VISIBLE[persona] else 404
        assert response.status_code == expected, (persona, key)
        if expected == 200:
            assert response.json()["uscc"] == enterprise.uscc
            assert response.json()["town_name"] == enterprise.town.name


def test_town_official_cannot_see_other_towns_enterprise(
    town_official, county, client_for, api_client_for
):
    other = county.ly_chem
    assert (
        client_for(town_official).get(reverse("enterprises:detail", args=[other.pk])).status_code
        == 404
    )
    assert api_client_for(town_official).get(f"{API_LIST_URL}{other.pk}/").status_code == 404


def test_unknown_enterprise_id_is_404_for_the_county_office(
    county_officer, client_for, api_client_for
):
    assert (
        client_for(county_officer).get(reverse("enterprises:detail", args=[999999])).status_code
        == 404
    )
    assert api_client_for(county_officer).get(f"{API_LIST_URL}999999/").status_code == 404


def test_inactive_user_sees_nothing_through_the_api(county, town_official, api_client_for):
    client = api_client_for(town_official)
    town_official.is_active = False
    town_official.save(update_fields=["is_active"])
    response = client.get(API_LIST_URL)
    assert response.status_code in (401, 403)


# --- anonymous ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_enterprise_pages(client, county):
    login = reverse("login")
    for url in (LIST_URL, reverse("enterprises:detail", args=[county.xdk_chem.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{login}?next={url}"


def test_anonymous_gets_no_enterprise_data_from_the_api(client, county):
    for url in (API_LIST_URL, f"{API_LIST_URL}{county.xdk_chem.pk}/"):
        response = client.get(url)
        assert response.status_code in (401, 403)
        assert county.xdk_chem.name not in response.content.decode()


def test_a_bad_token_is_refused(county):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(API_LIST_URL)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


# --- department scoping follows the current published map ---------------------------------


def test_department_ignores_an_unpublished_next_years_map(
    county, department_official, api_client_for
):
    next_year = SupervisionMapFactory(year=county.supervision_map.year + 1, published_at=None)
    AssignmentFactory(
        supervision_map=next_year, industry=county.industry_b, department=county.department
    )
    assert api_names(api_client_for(department_official).get(API_LIST_URL)) == names(
        county, {"xdk_chem", "ly_chem"}
    )


def test_department_ignores_a_published_map_for_a_future_year(
    county, department_official, api_client_for
):
    future = SupervisionMapFactory(
        year=county.supervision_map.year + 1, published_at=timezone.now()
    )
    AssignmentFactory(
        supervision_map=future, industry=county.industry_b, department=county.department
    )
    assert api_names(api_client_for(department_official).get(API_LIST_URL)) == names(
        county, {"xdk_chem", "ly_chem"}
    )


def test_department_uses_last_years_map_while_this_years_is_unpublished(
    county, department_official, client_for
):
    county.supervision_map.published_at = None
    county.supervision_map.save(update_fields=["published_at"])
    last_year = SupervisionMapFactory(
        year=county.supervision_map.year - 1,
        published_at=timezone.now() - datetime.timedelta(days=300),
    )
    AssignmentFactory(
        supervision_map=last_year, industry=county.industry_b, department=county.department
    )
    assert page_names(client_for(department_official).get(LIST_URL)) == names(
        county, {"xdk_build", "ly_build"}
    )


def test_department_sees_nothing_without_a_published_map(county, department_official, client_for):
    county.supervision_map.published_at = None
    county.supervision_map.save(update_fields=["published_at"])
    assert page_names(client_for(department_official).get(LIST_URL)) == set()


def test_department_without_assignments_sees_nothing(county, client_for):
    idle = DepartmentUserFactory(username="idle_department")
    assert page_names(client_for(idle).get(LIST_URL)) == set()


def test_expert_loses_nothing_else_and_gains_only_the_granted_enterprise(
    county, county_officer, expert, api_client_for
):
    from enterprises.registry.services import grant_expert_access

    grant_expert_access(actor=county_officer, expert=expert, enterprise=county.xdk_chem)
    assert api_names(api_client_for(expert).get(API_LIST_URL)) == names(
        county, {"ly_build", "xdk_chem"}
    )


# --- filters, on the page and in the API ---------------------------------------------------


def filter_cases(county):
    return [
        ({"town": county.town.pk}, {"xdk_chem", "xdk_build"}),
        ({"town": county.other_town.pk}, {"ly_chem", "ly_build"}),
        ({"industry": county.industry_a.pk}, {"xdk_chem", "ly_chem"}),
        ({"is_high_risk": "true"}, {"xdk_chem"}),
        ({"is_high_risk": "false"}, {"xdk_build", "ly_chem", "ly_build"}),
        ({"q": "澧阳"}, {"ly_chem", "ly_build"}),
        ({"q": "化工"}, {"xdk_chem", "ly_chem"}),
        ({"q": county.ly_build.uscc.lower()}, {"ly_build"}),
        ({"q": f"  {county.xdk_build.uscc}  "}, {"xdk_build"}),
        ({"town": county.town.pk, "industry": county.industry_b.pk}, {"xdk_build"}),
    ]


def test_list_page_filters(county, county_officer, client_for):
    client = client_for(county_officer)
    for params, expected in filter_cases(county):
        assert page_names(client.get(LIST_URL, params)) == names(county, expected), params


def test_api_filters(county, county_officer, api_client_for):
    client = api_client_for(county_officer)
    for params, expected in filter_cases(county):
        assert api_names(client.get(API_LIST_URL, params)) == names(county, expected), params


def test_filtering_by_another_town_does_not_widen_a_town_officials_scope(
    county, town_official, client_for, api_client_for
):
    params = {"town": county.other_town.pk}
    assert page_names(client_for(town_official).get(LIST_URL, params)) == set()
    assert api_names(api_client_for(town_official).get(API_LIST_URL, params)) == set()


def test_htmx_list_request_returns_only_the_table(county, county_officer, client_for):
    response = client_for(county_officer).get(
        LIST_URL, {"town": county.town.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "enterprises/_enterprise_table.html"
    html = response.content.decode()
    assert "<html" not in html
    assert county.xdk_chem.name in html and county.ly_chem.name not in html


def employee_counts(county):
    for key, count in zip(
        ("xdk_chem", "xdk_build", "ly_chem", "ly_build"), (5, 500, 50, 1), strict=True
    ):
        enterprise = getattr(county, key)
        enterprise.employee_count = count
        enterprise.save(update_fields=["employee_count"])


def test_list_page_orders_by_whitelisted_fields(county, county_officer, client_for):
    employee_counts(county)
    response = client_for(county_officer).get(LIST_URL, {"ordering": "-employee_count"})
    assert [e.employee_count for e in response.context["page"].object_list] == [500, 50, 5, 1]


def test_api_orders_by_whitelisted_fields(county, county_officer, api_client_for):
    employee_counts(county)
    response = api_client_for(county_officer).get(API_LIST_URL, {"ordering": "employee_count"})
    assert [row["employee_count"] for row in response.json()["results"]] == [1, 5, 50, 500]


@pytest.mark.parametrize(
    "ordering", ["password", "town__name", "-uscc); DROP TABLE x; --", "users__password"]
)
def test_list_page_ignores_a_bad_ordering_and_says_so(ordering, county, county_officer, client_for):
    response = client_for(county_officer).get(LIST_URL, {"ordering": ordering})
    assert response.status_code == 200
    assert page_names(response) == names(county, ALL)
    assert "部分筛选条件无效，已忽略" in response.content.decode()


@pytest.mark.parametrize("ordering", ["password", "town__name", "users__password"])
def test_api_rejects_a_bad_ordering_with_400(ordering, county, county_officer, api_client_for):
    response = api_client_for(county_officer).get(API_LIST_URL, {"ordering": ordering})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_list_page_ignores_a_bad_page_number(county, county_officer, client_for):
    client = client_for(county_officer)
    for page in ("abc", "-1", "999"):
        response = client.get(LIST_URL, {"page": page})
        assert response.status_code == 200
        assert page_names(response)
