"""The demo reproduces the report's figures: 7 accidents, 8 deaths this year against 24 and
24 last year to the same date (下降 70.8 % / 66.7 %)."""

from __future__ import annotations

import io

from django.core.management import call_command

from enforcement.accidents.demo import load_accidents_demo
from enforcement.accidents.statistics import year_on_year
from responsibilities.models import Organisation
from tests.factories import CountyOfficerFactory


def test_demo_reproduces_the_report_figures(db):
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    CountyOfficerFactory(username="county", organisation=Organisation.objects.get(code="aqwb"))
    load_accidents_demo(io.StringIO())
    _rows, total = year_on_year()
    assert total.summary == "7 起 8 人 vs 24 起 24 人"
    assert (total.accidents.text, total.deaths.text) == ("下降 70.8 %", "下降 66.7 %")
