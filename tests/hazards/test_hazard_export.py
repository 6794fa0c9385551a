"""The ledger's Excel export holds the filtered list, row for row in the list's order, with
typed cells (the export is written with XlsxWriter since ADR 0011)."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from hazards.export import HEADER
from hazards.models import Hazard, HazardStatus
from tests.hazards.conftest import days
from tests.hazards.factories import HazardFactory


def exported(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content), read_only=True).active.values)


def test_export_is_the_list_row_for_row_in_its_order_with_every_column(
    client_for, county_officer, county
):
    overdue = HazardFactory(
        enterprise=county.xdk_chem,
        found_on=days(-40),
        deadline=days(-2),
        original_deadline=days(-9),
        location="@仓库",
    )
    for n in range(6):
        HazardFactory(enterprise=county.ly_build, found_on=days(-n % 3))
    HazardFactory(enterprise=county.ly_chem)
    client = client_for(county_officer)
    query = {"town": county.other_town.pk}
    listed = client.get(reverse("hazards:list"), query).context["page"]
    rows = exported(client.get(reverse("hazards:export"), query))
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == [h.code for h in listed]  # same rows, same order

    rows = exported(client.get(reverse("hazards:export"), {"overdue": "true"}))
    assert len(rows) == 2
    code, enterprise, town, industry, *rest = rows[1]
    assert (code, enterprise, town, industry) == (
        overdue.code,
        county.xdk_chem.name,
        county.town.name,
        county.xdk_chem.industry.name,
    )
    source, grade, status, location, description, found, deadline, original = rest[:8]
    assert (source, grade, status) == (
        overdue.get_source_display(),
        overdue.get_hazard_class_display(),
        overdue.get_status_display(),
    )
    assert location == "'@仓库"  # a leading @ would start a formula: neutralised
    assert description == overdue.description
    assert (found, deadline, original) == tuple(
        datetime.datetime.combine(d, datetime.time()) for d in (days(-40), days(-2), days(-9))
    )
    person, list_number, closed_on, is_overdue = rest[8:]
    assert (person, list_number, closed_on, is_overdue) == ("周经理", None, None, "是")


def test_export_marks_closed_and_in_time_hazards_as_not_overdue(client_for, county_officer, county):
    HazardFactory(enterprise=county.xdk_chem, deadline=days(5))
    closed = HazardFactory(enterprise=county.xdk_chem, deadline=days(-5))
    Hazard.objects.filter(pk=closed.pk).update(status=HazardStatus.CLOSED, closed_on=days(-1))
    rows = exported(client_for(county_officer).get(reverse("hazards:export")))
    assert {row[-1] for row in rows[1:]} == {"否"}
    closed_row = next(row for row in rows[1:] if row[0] == closed.code)
    assert closed_row[14] == datetime.datetime.combine(days(-1), datetime.time())
