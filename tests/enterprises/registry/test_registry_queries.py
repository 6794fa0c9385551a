"""The enterprise list costs the same few queries for 10 rows as for 1,000 (no N+1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

PAGE_MAX_QUERIES = 10
API_MAX_QUERIES = 5


def add_enterprises(county, count: int) -> None:
    """Half in each town and industry, so every persona's scope grows with the count."""
    towns = (county.town, county.other_town)
    industries = (county.industry_a, county.industry_b)
    Enterprise.objects.bulk_create(
        [
            EnterpriseFactory.build(town=towns[i % 2], industry=industries[(i // 2) % 2])
            for i in range(count)
        ]
    )


def query_count(fetch, bound, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(bound) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["county_officer", "town_official", "department_official"])
def test_list_page_costs_the_same_queries_for_10_and_1000_enterprises(
    persona, request, county, client_for, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("enterprises:list")
    client.get(url)  # warm up: session, content types
    add_enterprises(county, 10 - Enterprise.objects.count())  # ledger rows are never deleted

    def fetch():
        return client.get(url, {"ordering": "name"})

    small = query_count(fetch, PAGE_MAX_QUERIES, django_assert_max_num_queries)
    add_enterprises(county, 990)
    large = query_count(fetch, PAGE_MAX_QUERIES, django_assert_max_num_queries)
    assert small == large
    response = fetch()
    assert len(response.context["page"].object_list) == 25  # one page, not 1,000 rows


@pytest.mark.parametrize("persona", ["county_officer", "town_official", "department_official"])
def test_api_list_costs_the_same_queries_for_10_and_1000_enterprises(
    persona, request, county, api_client_for, django_assert_max_num_queries
):
    client = api_client_for(request.getfixturevalue(persona))
    url = "/api/v1/enterprises/"
    client.get(url)
    add_enterprises(county, 10 - Enterprise.objects.count())  # ledger rows are never deleted

    def fetch():
        return client.get(url)

    small = query_count(fetch, API_MAX_QUERIES, django_assert_max_num_queries)
    add_enterprises(county, 990)
    large = query_count(fetch, API_MAX_QUERIES, django_assert_max_num_queries)
    assert small == large
    body = fetch().json()
    assert len(body["results"]) == 50
    assert body["count"] > 50
