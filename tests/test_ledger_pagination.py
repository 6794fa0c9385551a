"""The platform's list paging (safetyportal/core/pagination.py, ADR 0014): deep pages show
the right rows in order, with neither duplicates nor misses where sort keys are equal;
counts above the limit are estimates and say so; the API keeps its contract; and every
role's ledger costs the same queries for 10 rows as for hundreds, exact count or not."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.models import Hazard
from safetyportal.core import pagination
from safetyportal.core.pagination import LedgerPaginator
from tests.hazards.factories import HazardFactory

ROLES = [
    "county_officer",
    "leader",
    "department_official",
    "town_official",
    "enterprise_manager",
]


def add_hazards(county, count: int, *, found_on: datetime.date | None = None) -> None:
    """`count` hazards spread over the four enterprises (every role's scope grows),
    all found the same day when `found_on` is given (equal sort keys)."""
    enterprises = (county.xdk_chem, county.xdk_build, county.ly_chem, county.ly_build)
    extra = {"found_on": found_on} if found_on else {}
    Hazard.objects.bulk_create(
        [HazardFactory.build(enterprise=enterprises[i % 4], **extra) for i in range(count)]
    )


@pytest.fixture
def small_limit(monkeypatch):
    """Counts are exact up to 5 rows only: the estimated path at test scale."""
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 5)


# --- deep pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ordering", [None, ("found_on",), ("-deadline",), ("status",), ("enterprise__name",)]
)
def test_paging_through_equal_sort_keys_shows_every_row_once_in_order(county, ordering):
    add_hazards(county, 23, found_on=datetime.date(2026, 3, 1))
    queryset = Hazard.objects.select_related("enterprise")
    if ordering:
        queryset = queryset.order_by(*ordering)
    paginator = LedgerPaginator(queryset, 4)
    expected = list(paginator.object_list)  # the list with its total order, in one go
    seen = []
    for number in paginator.page_range:
        page = paginator.page(number)
        assert page.has_next() == (number < paginator.num_pages)
        seen += list(page)
    assert [h.pk for h in seen] == [h.pk for h in expected]
    assert len({h.pk for h in seen}) == 23
    # the pk closes the order (Meta.ordering's -id, or added by the paginator)
    query = paginator.object_list.query
    assert (query.order_by or Hazard._meta.ordering)[-1] in ("pk", "-pk", "-id")


def test_page_n_holds_the_rows_of_the_plain_query(county):
    add_hazards(county, 40)
    ordered = list(Hazard.objects.order_by("-found_on", "-id").values_list("pk", flat=True))
    paginator = LedgerPaginator(Hazard.objects.with_list_relations(), 7)
    page = paginator.page(4)
    assert [h.pk for h in page] == ordered[21:28]
    assert page.start_index() == 22 and page.end_index() == 28
    # the rows come with their relations: no query per row
    with CaptureQueriesContext(connection) as queries:
        [(h.enterprise.name, h.town.name, h.industry.name) for h in page]
    assert not queries.captured_queries


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_pages_through_its_own_ledger(persona, request, county, client_for):
    user = request.getfixturevalue(persona)
    add_hazards(county, 60, found_on=datetime.date(2026, 5, 5))
    visible = list(
        Hazard.objects.visible_to(user).order_by("-found_on", "-id").values_list("pk", flat=True)
    )
    assert visible  # every role here sees some of them
    client = client_for(user)
    seen = []
    for number in range(1, len(visible) // 25 + 2):
        response = client.get(reverse("hazards:list"), {"page": number})
        assert response.status_code == 200
        seen += [h.pk for h in response.context["page"]]
    assert seen == visible


def test_a_page_past_the_end_shows_the_last_page(county, county_officer, client_for):
    add_hazards(county, 30)
    response = client_for(county_officer).get(reverse("hazards:list"), {"page": 99})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 5


def test_a_page_past_the_end_of_an_estimated_list_shows_the_last_page(
    county, county_officer, client_for, small_limit
):
    add_hazards(county, 30)
    response = client_for(county_officer).get(reverse("hazards:list"), {"page": 99})
    page = response.context["page"]
    assert page.number == 2 and len(page.object_list) == 5
    assert page.paginator.count == 30 and page.paginator.count_is_exact  # counted, once


# --- counts ----------------------------------------------------------------------------------


def test_counts_are_exact_up_to_the_limit(county, county_officer, client_for, small_limit):
    add_hazards(county, 5)
    response = client_for(county_officer).get(reverse("hazards:list"))
    paginator = response.context["page"].paginator
    assert paginator.count == 5 and paginator.count_is_exact
    assert "共 5 条" in response.content.decode()


def test_an_estimated_count_is_shown_as_one(county, county_officer, client_for, small_limit):
    add_hazards(county, 60)
    connection.cursor().execute("ANALYZE hazards_hazard")
    response = client_for(county_officer).get(reverse("hazards:list"), {"page": 2})
    page = response.context["page"]
    assert not page.paginator.count_is_exact
    assert page.paginator.count > 5
    html = response.content.decode()
    assert page.paginator.count_label in html
    assert page.paginator.count_label.startswith(("约", "超过"))
    assert "第 2 页" in html  # no "2 / N": N is not known
    assert "末页" not in html  # no link to a last page that is a guess
    assert 'rel="next"' in html and 'rel="prev"' in html
    last = client_for(county_officer).get(reverse("hazards:list"), {"page": 3})
    assert 'rel="next"' not in last.content.decode()  # the end is known exactly


def test_count_labels():
    class Fixed(LedgerPaginator):
        def __init__(self, bounded, estimate):
            super().__init__([], 25)
            self.__dict__["_bounded_count"] = bounded
            self._estimate = lambda: estimate  # type: ignore[method-assign]

    assert Fixed(120, 0).count_label == "共 120 条"
    assert Fixed(10_001, 605_865).count_label == "约 610,000 条"
    assert Fixed(10_001, 3_000).count_label == "超过 10,000 条"
    assert Fixed(10_001, 48_321).count_approximate == 48_000


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ROLES)
@pytest.mark.parametrize("url", ["/hazards/", "/api/v1/hazards/", "/hazards/?page=2"])
def test_the_ledger_costs_the_same_queries_for_10_and_300_rows(
    persona, url, request, county, client_for, api_client_for, small_limit
):
    user = request.getfixturevalue(persona)
    client = api_client_for(user) if url.startswith("/api/") else client_for(user)
    add_hazards(county, 40)
    assert client.get(url).status_code == 200  # warm up
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_hazards(county, 300)
    connection.cursor().execute("ANALYZE hazards_hazard")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    # 40 rows: exact for most roles (the limit is 5 here), so at most one more query
    # (the estimate's EXPLAIN) with 340
    assert len(large.captured_queries) <= len(small.captured_queries) + 1
    add_hazards(county, 300)
    with CaptureQueriesContext(connection) as larger:
        assert client.get(url).status_code == 200
    assert len(larger.captured_queries) == len(large.captured_queries)


# --- the API ----------------------------------------------------------------------------------


def test_api_pages_to_the_end_and_answers_404_past_it(county, county_officer, api_client_for):
    add_hazards(county, 60)
    client = api_client_for(county_officer)
    first = client.get("/api/v1/hazards/")
    body = first.json()
    assert body["count"] == 60 and len(body["results"]) == 50  # the API's page size
    assert first["X-Total-Count-Exact"] == "true"
    assert body["previous"] is None and "page=2" in body["next"]
    last = client.get(body["next"]).json()
    assert len(last["results"]) == 10 and last["next"] is None
    ids = [row["id"] for row in body["results"] + last["results"]]
    assert len(set(ids)) == 60
    assert client.get("/api/v1/hazards/", {"page": 3}).status_code == 404
    assert client.get("/api/v1/hazards/", {"page": 0}).status_code == 400
    assert client.get("/api/v1/hazards/", {"page": "x"}).status_code == 400
    assert client.get("/api/v1/hazards/", {"page": 10**15}).status_code == 404


def test_api_estimated_count_is_flagged_and_next_stays_exact(
    county, county_officer, api_client_for, small_limit
):
    add_hazards(county, 60)
    connection.cursor().execute("ANALYZE hazards_hazard")
    client = api_client_for(county_officer)
    first = client.get("/api/v1/hazards/")
    assert first["X-Total-Count-Exact"] == "false"
    assert first.json()["count"] > 5
    last = client.get(first.json()["next"]).json()
    assert len(last["results"]) == 10 and last["next"] is None
    assert client.get("/api/v1/hazards/", {"page": 3}).status_code == 404


def test_api_schema_documents_the_count(api_client_for, county_officer):
    schema = api_client_for(county_officer).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "X-Total-Count-Exact" in schema.content.decode()
