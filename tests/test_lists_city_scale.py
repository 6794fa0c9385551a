"""The lists that were still slow at a city's scale (ADR 0015): the risk register's summary,
the API's risk points, the self-assessment list, the name search and the major-hazard list.
Each keeps the rows every role saw before, in a stable order, for the same number of
queries with 10 rows as with many."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from enterprises.assessment.models import SelfAssessment
from enterprises.models import Enterprise
from hazards.models import Hazard, HazardClass, MajorHazardListing, RiskBand, RiskPoint
from hazards.permissions import listings_visible_to
from hazards.risk_models import band_for
from hazards.risk_selectors import risk_summary
from tests.enterprises.factories_duties import PeriodFactory, small_template
from tests.factories import EnterpriseFactory
from tests.hazards.factories import HazardFactory, RiskPointFactory

ROLES = [
    "county_officer",
    "leader",
    "department_official",
    "town_official",
    "enterprise_manager",
]


def four(county):
    return (county.xdk_chem, county.xdk_build, county.ly_chem, county.ly_build)


# --- the risk register ---------------------------------------------------------------------


def add_points(county, count: int) -> None:
    enterprises = four(county)
    factors = [
        (Decimal("10"), Decimal("6"), Decimal("40")),
        (Decimal("3"), Decimal("6"), Decimal("7")),
    ]
    factors += [
        (Decimal("1"), Decimal("1"), Decimal("1")),
        (Decimal("6"), Decimal("3"), Decimal("15")),
    ]
    points = []
    for i in range(count):
        likelihood, exposure, consequence = factors[i % len(factors)]
        point = RiskPointFactory.build(
            enterprise=enterprises[i % 4],
            likelihood=likelihood,
            exposure=exposure,
            consequence=consequence,
        )
        point.compute_score()
        points.append(point)
    RiskPoint.objects.bulk_create(points)


@pytest.mark.parametrize("persona", ROLES)
def test_the_summary_by_town_counts_each_role_s_points_in_their_bands(persona, request, county):
    add_points(county, 37)
    user = request.getfixturevalue(persona)
    visible = RiskPoint.objects.visible_to(user).select_related("enterprise__town")
    bands = list(RiskBand.objects.order_by("-min_score"))
    expected: dict[str, list[int]] = {}
    for point in visible:
        counts = expected.setdefault(point.enterprise.town.name, [0] * len(bands))
        counts[bands.index(band_for(point.score, bands))] += 1
    _, rows = risk_summary(RiskPoint.objects.visible_to(user), "enterprise__town__name")
    assert {row["name"]: row["counts"] for row in rows} == expected
    assert [row["name"] for row in rows] == sorted(expected)
    assert all(row["total"] == sum(row["counts"]) for row in rows)


def test_the_summary_by_town_is_a_fixed_number_of_queries(county, django_assert_num_queries):
    add_points(county, 8)
    bands = list(RiskBand.objects.order_by("-min_score"))
    with django_assert_num_queries(2) as small:  # the counts, the towns' names
        risk_summary(RiskPoint.objects.all(), "enterprise__town__name", bands=bands)
    add_points(county, 200)
    with django_assert_num_queries(len(small.captured_queries)):
        risk_summary(RiskPoint.objects.all(), "enterprise__town__name", bands=bands)


@pytest.mark.parametrize("persona", ["county_officer", "town_official", "enterprise_manager"])
def test_api_risk_points_load_the_bands_once_per_page(
    persona, request, county, api_client_for, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client = api_client_for(user)
    add_points(county, 10)
    assert client.get("/api/v1/risk-points/").status_code == 200  # warm up
    with django_assert_max_num_queries(12) as small:
        response = client.get("/api/v1/risk-points/")
    assert response.status_code == 200
    add_points(county, 120)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/risk-points/")
    bands = list(RiskBand.objects.order_by("-min_score"))
    for row in response.json()["results"]:
        assert row["level"] == band_for(Decimal(row["score"]), bands).code
    assert {row["id"] for row in response.json()["results"]} <= set(
        RiskPoint.objects.visible_to(user).values_list("pk", flat=True)
    )


# --- the self-assessment list --------------------------------------------------------------


def add_assessments(county, count: int) -> list[SelfAssessment]:
    """`count` assessments, several created at the same instant (equal sort keys)."""
    template = small_template()
    period = PeriodFactory(year=2026)
    towns = (county.town, county.other_town)
    industries = (county.industry_a, county.industry_b)
    enterprises = Enterprise.objects.bulk_create(
        [
            EnterpriseFactory.build(town=towns[i % 2], industry=industries[(i // 2) % 2])
            for i in range(count)
        ]
    )
    moment = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
    return SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(
                enterprise=enterprise,
                period=period,
                template=template,
                created_at=moment + datetime.timedelta(minutes=i // 3),
            )
            for i, enterprise in enumerate(enterprises)
        ]
    )


@pytest.mark.parametrize("persona", ROLES)
def test_assessment_list_pages_newest_first_with_each_role_s_rows_once(
    persona, request, county, client_for, settings
):
    settings.PAGE_SIZE = 4
    add_assessments(county, 19)
    user = request.getfixturevalue(persona)
    expected = list(
        SelfAssessment.objects.filter(
            enterprise__in=Enterprise.objects.visible_to(user).values("pk")
        )
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    client = client_for(user)
    seen = []
    for number in range(1, len(expected) // 4 + 2):
        response = client.get("/enterprises/assessments/", {"page": number})
        assert response.status_code == 200
        seen += [row.pk for row in response.context["page"]]
    assert seen == expected
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize("persona", ["county_officer", "department_official", "town_official"])
def test_assessment_list_costs_the_same_queries_for_10_rows_or_200(
    persona, request, county, client_for, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get("/enterprises/assessments/").status_code == 200
    add_assessments(county, 10)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/enterprises/assessments/").status_code == 200
    add_assessments(county, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/enterprises/assessments/?status=draft").status_code == 200


def test_the_town_sees_only_its_own_town_s_assessments(county, town_official, client_for):
    add_assessments(county, 12)
    response = client_for(town_official).get("/enterprises/assessments/")
    rows = list(response.context["page"])
    assert rows
    assert {row.enterprise.town_id for row in rows} == {county.town.pk}


# --- the name search -----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["化工", "渡口化", "小渡口化工有限", "澧阳建设"])
def test_searching_by_a_part_of_the_name_finds_the_same_rows(
    query, county, county_officer, client_for
):
    HazardFactory(enterprise=county.xdk_chem)
    HazardFactory(enterprise=county.ly_build)
    client = client_for(county_officer)
    names = {e.name for e in Enterprise.objects.all() if query in e.name}
    listed = client.get("/enterprises/", {"q": query}).context["page"]
    assert {e.name for e in listed} == names
    ledger = client.get("/hazards/", {"q": query}).context["page"]
    assert {h.enterprise.name for h in ledger} == names & {
        county.xdk_chem.name,
        county.ly_build.name,
    }


def test_searching_by_a_part_of_the_credit_code_ignores_case(county, county_officer, client_for):
    code = county.xdk_chem.uscc
    listed = client_for(county_officer).get("/enterprises/", {"q": code[-6:].lower()})
    assert county.xdk_chem in list(listed.context["page"])


@pytest.mark.parametrize("column", ["name", "uscc"])
def test_a_name_search_of_three_characters_can_use_the_trigram_index(county, column):
    """On PostgreSQL the search can use its trigram index (elsewhere, e.g. the SQLite demo,
    the migration leaves it out and the search scans)."""
    if connection.vendor != "postgresql":
        assert Enterprise.objects.filter(**{f"{column}__icontains": "小渡口"}).exists()
        return
    Enterprise.objects.bulk_create(
        [
            EnterpriseFactory.build(
                town=county.other_town, industry=county.industry_b, name=f"澧阳第{n}商店"
            )
            for n in range(3000)
        ]
    )
    search = Enterprise.objects.filter(**{f"{column}__icontains": "小渡口"})
    sql, params = search.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # the rows just added sit in the index's pending list until a vacuum: move them in
        cursor.execute(
            "SELECT gin_clean_pending_list(%s::regclass)", [f"enterprise_{column}_trgm_idx"]
        )
        cursor.execute("ANALYZE enterprises_enterprise")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"enterprise_{column}_trgm_idx" in plan


# --- the major-hazard list -----------------------------------------------------------------


def add_listings(county, count: int) -> None:
    enterprises = four(county)
    hazards = Hazard.objects.bulk_create(
        [
            HazardFactory.build(enterprise=enterprises[i % 4], hazard_class=HazardClass.MAJOR)
            for i in range(count)
        ]
    )
    start = MajorHazardListing.objects.count()
    MajorHazardListing.objects.bulk_create(
        [
            MajorHazardListing(
                hazard=hazard,
                list_number=f"LY-{start + i:05d}",
                determined_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=i // 4),
                determination_basis="县安委会专题会议纪要",
            )
            for i, hazard in enumerate(hazards)
        ]
    )


@pytest.mark.parametrize("persona", [*ROLES, "expert", "outsider"])
def test_each_role_sees_the_listings_of_the_hazards_it_sees(persona, request, county):
    add_listings(county, 14)
    user = request.getfixturevalue(persona)
    before = MajorHazardListing.objects.filter(
        hazard__in=Hazard.objects.visible_to(user).values("pk")
    )
    assert sorted(listings_visible_to(user).values_list("pk", flat=True)) == sorted(
        before.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("persona", ["county_officer", "department_official", "town_official"])
def test_api_major_hazards_cost_the_same_queries_for_10_rows_or_100(
    persona, request, county, api_client_for, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client = api_client_for(user)
    add_listings(county, 10)
    assert client.get("/api/v1/major-hazards/").status_code == 200
    with django_assert_max_num_queries(10) as small:
        assert client.get("/api/v1/major-hazards/").status_code == 200
    add_listings(county, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/major-hazards/")
    ids = [row["id"] for row in response.json()["results"]]
    expected = list(listings_visible_to(user).order_by("-determined_on", "-id"))
    assert ids == [listing.pk for listing in expected[: len(ids)]]
