"""With the demo data the county dashboard shows the county report's headline figures
(mission.md §8), computed from the ledgers: 195 major hazards, 171 rectified (87.7%);
7 accidents with 8 deaths against 24 and 24 (down 70.8% and 66.7%). `load_demo` runs once
for the module, in a transaction rolled back after it (as tests/enforcement/
test_demo_figures.py does)."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from enforcement.accidents.models import Accident
from hazards.models import Hazard, HazardClass, HazardStatus
from safetyportal.accounts.models import User

FIGURE = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-figure="(\d+)"[^>]*data-key="(\w+)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=False, DEMO_MODE=True),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0, stdout=out)
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


def page_for(username: str):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client, client.get("/dashboard/")


@pytest.mark.parametrize("username", ["county", "leader"])
def test_the_county_dashboard_shows_the_reports_headline_figures(demo, db, username):
    client, response = page_for(username)
    assert response.status_code == 200
    by_key = response.context["data"]["by_key"]
    major = by_key["major_hazards"].by_key
    assert (major["major_found"].value, major["major_closed"].value) == (195, 171)
    assert by_key["major_hazards"].rates == [("销号率", "87.7%")]
    accidents = by_key["accidents"].by_key
    figures = [accidents[k].value for k in ("accidents", "deaths", "accidents_last", "deaths_last")]
    assert figures == [7, 8, 24, 24]
    assert [t for _l, t in by_key["accidents"].rates] == ["下降 70.8 %", "下降 66.7 %"]
    # the same numbers counted straight from the ledgers
    year_start = timezone.localdate().replace(month=1, day=1)
    majors = Hazard.objects.filter(
        hazard_class=HazardClass.MAJOR, found_on__gte=year_start
    ).exclude(status=HazardStatus.VOIDED)
    assert majors.count() == 195
    assert majors.filter(status=HazardStatus.CLOSED).count() == 171
    this_year = Accident.objects.filter(occurred_at__year=year_start.year)
    assert this_year.count() == 7
    assert sum(this_year.values_list("deaths", flat=True)) == 8
    # about 5,500 general hazards rectified
    assert by_key["hazards"].by_key["general_closed"].value >= 5500
    # and the briefing says so
    briefing = client.get("/dashboard/briefing/").content.decode()
    assert "171 项（87.7%）" in briefing
    assert "7 起 8 人" in briefing and "下降 70.8 %" in briefing and "下降 66.7 %" in briefing


def test_the_demo_dashboards_figures_open_their_lists(demo, db):
    client, response = page_for("county")
    links = FIGURE.findall(response.content.decode())
    assert len(links) >= 25
    for href, shown, key in links:
        if href.startswith("/enforcement/plans/"):
            continue
        listed = client.get(unescape(href))
        assert listed.status_code == 200, href
        assert listed.context["page"].paginator.count == int(shown), (key, href)


def test_every_role_of_the_demo_gets_its_dashboard(demo, db):
    expected = {
        "county": (200, None),
        "leader": (200, None),
        "dept_yjj": (200, "dept-yjj"),
        "town_xdk": (200, "430723102"),
        "enterprise": (403, None),
        "expert": (403, None),
    }
    for username, (status, unit_code) in expected.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get("/dashboard/")
        assert response.status_code == status, username
        if status == 200:
            unit = response.context["scope"].unit
            assert (unit.code if unit else None) == unit_code, username
