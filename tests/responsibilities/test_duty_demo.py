"""The duty-list demo (without loading the whole demo): every department and town gets
last year's list and this year's, 5-8 items each, a share done."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count, Q

from responsibilities.duty_demo import load_duty_demo
from responsibilities.duty_models import DutyItemStatus, DutyList
from tests.factories import CountyOfficerFactory

pytestmark = pytest.mark.django_db
YEAR = 2026


def test_every_unit_gets_two_years_with_a_share_done(county):
    CountyOfficerFactory(username="county", organisation=county.office)
    out = io.StringIO()
    load_duty_demo(out, year=YEAR)
    units = {county.town.pk, county.other_town.pk, county.department.pk, county.other_department.pk}
    lists = DutyList.objects.annotate(
        n=Count("items"), done=Count("items", filter=Q(items__status=DutyItemStatus.DONE))
    )
    for year in (YEAR - 1, YEAR):
        assert set(lists.filter(year=year).values_list("owner_id", flat=True)) == units
    assert all(5 <= row.n <= 8 for row in lists)
    this_year = lists.filter(year=YEAR)
    assert 0 < sum(row.done for row in this_year) < sum(row.n for row in this_year)
    assert all(
        item.done_on.year == YEAR for row in this_year for item in row.items.filter(status="done")
    )
    assert "责任清单" in out.getvalue()
    load_duty_demo(out, year=YEAR)  # a second run adds nothing
    assert DutyList.objects.count() == 2 * len(units)
