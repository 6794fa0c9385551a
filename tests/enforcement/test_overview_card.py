"""The home card 执法概况 (enforcement/cards.py): this year's inspections, officer visits
and enterprises inspected, cases by procedure, exposed cases, certified officers and
delegated items, each figure the total of the list its link opens; for the county office
and leaders; kept (ADR 0017): recomputed after a watched write, and the home page costs
the same queries however many rows there are. The demo's figures: test_demo_figures.py."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core.cache import caches
from django.utils import timezone

from enforcement.authority.services import revoke_certificate
from enforcement.cases.models import Case
from enforcement.exposure.services import publish_case
from enforcement.inspections import services as inspections
from enforcement.inspections.models import Inspection, InspectionStatus
from tests.enforcement.factories import ClosedCaseFactory, days

FIGURE = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-figure="(\d+)"')
KEYS = ("inspections", "cases", "simple", "general", "exposed", "officers", "items")


def card(client) -> tuple[str, dict[str, tuple[str, int]]]:
    """The card's HTML and its linked figures by name, in the template's order."""
    page = client.get("/").content.decode()
    start = page.index('data-testid="enforcement-overview"')
    html = page[start : page.index("</section>", start)]
    links = [(unescape(href), int(n)) for href, n in FIGURE.findall(html)]
    return html, dict(zip(KEYS, links, strict=True))


def shown(html: str, name: str) -> int:
    """A figure the card shows without a link of its own."""
    match = re.search(rf'data-testid="overview-{name}">([\d,]+)<', html)
    assert match, html
    return int(match.group(1).replace(",", ""))


def list_total(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    return response.context["page"].paginator.count


@pytest.fixture
def ledger(county, powers, log, town_official, county_officer, general_case):
    """This year: two submitted inspections (one by two officers), a draft; one from last
    year. Cases: two closed simple ones this year (one exposed), one last year, the
    general case of the fixture."""
    first = log(enterprise=county.xdk_build, officers=[town_official.pk, powers.town_partner.pk])
    inspections.submit_inspection(actor=town_official, inspection_id=first.pk)
    second = log(enterprise=county.xdk_chem)
    inspections.submit_inspection(actor=town_official, inspection_id=second.pk)
    log()  # a draft: not an inspection made yet
    old = log()
    inspections.submit_inspection(actor=town_official, inspection_id=old.pk)
    Inspection.objects.filter(pk=old.pk).update(
        inspected_on=datetime.date(timezone.localdate().year - 1, 12, 30)
    )
    closed = [
        ClosedCaseFactory(
            enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
        )
        for _ in range(3)
    ]
    last_year = datetime.date(timezone.localdate().year - 1, 12, 30)
    Case.objects.filter(pk=closed[2].pk).update(
        filed_on=last_year, decided_on=last_year, closed_on=last_year
    )
    publish_case(actor=county_officer, case_id=closed[0].pk)
    caches["figures"].clear()


def test_the_figures_count_this_years_rows_and_open_lists_of_that_many(
    ledger, county_officer, client_for
):
    client = client_for(county_officer)
    html, links = card(client)
    figures = {key: n for key, (_href, n) in links.items()}
    # items: the fixture's three (one delegated to no town); officers: four with a
    # certificate valid today (one more has an expired one)
    assert figures == {
        "inspections": 2,
        "cases": 3,
        "simple": 2,
        "general": 1,
        "exposed": 1,
        "officers": 4,
        "items": 3,
    }
    assert shown(html, "enterprises") == 2
    assert shown(html, "visits") == 3
    for key, (href, figure) in links.items():
        assert list_total(client, href) == figure, key


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("county_officer", True),
        ("leader", True),
        ("department_official", False),
        ("town_official", False),
        ("enterprise_manager", False),
        ("expert", False),
    ],
)
def test_the_card_is_for_the_county_office_and_leaders(persona, shown, ledger, request, client_for):
    page = client_for(request.getfixturevalue(persona)).get("/").content.decode()
    assert ('data-testid="enforcement-overview"' in page) is shown


def test_a_watched_write_changes_the_kept_figures(
    ledger, county, log, town_official, county_officer, powers, client_for
):
    client = client_for(county_officer)
    _html, before = card(client)
    made = log(enterprise=county.xdk_chem)
    inspections.submit_inspection(actor=town_official, inspection_id=made.pk)
    revoke_certificate(
        actor=county_officer,
        certificate_id=powers.town_partner.enforcement_certificates.get().pk,
    )
    _html, after = card(client)
    assert after["inspections"][1] == before["inspections"][1] + 1
    assert after["officers"][1] == before["officers"][1] - 1


def test_the_home_page_costs_the_same_queries_with_many_enforcement_rows(
    ledger, county, county_officer, town_official, powers, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    assert client.get("/").status_code == 200  # warm up: session, content types
    caches["figures"].clear()  # measured when the figures are computed: the dearer case
    with django_assert_max_num_queries(60) as small:
        assert client.get("/").status_code == 200
    # a count, not the context: the next request clears the connection's query log
    computed = len(small.captured_queries)
    made = Inspection.objects.bulk_create(
        Inspection(
            unit=county.town,
            enterprise=county.xdk_build,
            town=county.town,
            inspected_on=days(-(n % 200)),
            status=InspectionStatus.SUBMITTED,
            created_by=town_official,
        )
        for n in range(300)
    )
    Inspection.officers.through.objects.bulk_create(
        Inspection.officers.through(inspection_id=i.pk, user_id=town_official.pk) for i in made
    )
    for _ in range(30):
        ClosedCaseFactory(
            enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
        )
    caches["figures"].clear()
    with django_assert_max_num_queries(computed) as large:
        assert client.get("/").status_code == 200
    assert len(large.captured_queries) == computed
    _html, links = card(client)
    assert links["inspections"][1] == 302
    # kept: a second page view computes nothing
    with django_assert_max_num_queries(computed - 6):
        assert client.get("/").status_code == 200
