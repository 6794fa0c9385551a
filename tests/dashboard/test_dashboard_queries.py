"""The dashboards cost a constant number of queries, independent of the data volume: the
same with a few rows as with ten times more (figures not kept: the cache is cleared)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.enforcement.factories import AccidentFactory
from tests.hazards.factories import HazardFactory, RiskPointFactory


def add_rows(county, year: int, n: int) -> None:
    for i in range(n):
        for enterprise in (county.xdk_chem, county.ly_build):
            HazardFactory(enterprise=enterprise, found_on=datetime.date(year, 1 + i % 12, 3))
            RiskPointFactory(enterprise=enterprise)
        AccidentFactory(unit=county.town, town=county.town)


def queries(client, path: str, query: dict) -> int:
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, query).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("county_officer", "/dashboard/"),
        ("county_officer", "/dashboard/briefing/"),
        ("county_officer", "/dashboard/export/"),
        ("town_official", "/dashboard/"),
        ("department_official", "/dashboard/"),
    ],
)
def test_the_dashboard_costs_the_same_queries_for_few_or_many_rows(
    request, small_county, county, persona, path
):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    query = {"year": small_county.year}
    few = queries(client, path, query)
    add_rows(county, small_county.year, 12)
    many = queries(client, path, query)
    assert few == many
    # and a town chosen by the county costs no more than the county
    assert few <= 30


def test_kept_figures_are_read_again_after_a_hazard_changes(small_county, county, county_officer):
    client = Client()
    client.force_login(county_officer)
    query = {"year": small_county.year}

    def found() -> int:
        response = client.get("/dashboard/", query)
        return response.context["data"]["by_key"]["hazards"].by_key["found"].value

    assert found() == 6
    HazardFactory(enterprise=county.xdk_chem, found_on=datetime.date(small_county.year, 7, 7))
    assert found() == 7


def test_kept_compliance_figures_are_read_again_after_a_judgement(
    small_county, county, county_officer
):
    from enterprises.duties.judging import judge_enterprises

    client = Client()
    client.force_login(county_officer)
    query = {"year": small_county.year}

    def failing() -> int:
        response = client.get("/dashboard/", query)
        return sum(f.value for f in response.context["data"]["by_key"]["compliance"].figures)

    before = failing()
    assert before == 3
    judge_enterprises([county.ly_chem.pk])  # a bulk upsert: no signal, the topic touched
    assert failing() > before
