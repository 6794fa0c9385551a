"""Excel exports of the enforcement lists: the user's scope and the active filters, the
generic helper's headers and labels, and GET only."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_inspection_export_keeps_scope_and_filter(
    log, county, town_official, other_town_official, county_officer, client_for
):
    log()
    log(actor=other_town_official)
    url = reverse("enforcement:inspection_export")
    header, *mine = _rows(client_for(town_official).get(url))
    assert header[:4] == ("检查日期", "被检查单位", "镇街", "检查单位")
    assert [row[2] for row in mine] == ["小渡口镇"]  # not the other town's inspection
    everything = _rows(client_for(county_officer).get(url))[1:]
    assert sorted(row[2] for row in everything) == ["小渡口镇", "澧阳街道"]
    filtered = _rows(client_for(county_officer).get(url, {"town": county.other_town.pk}))[1:]
    assert [row[2] for row in filtered] == ["澧阳街道"]


def test_case_export_keeps_scope_filter_and_labels(
    general_case, county, town_official, other_town_official, county_officer, client_for
):
    url = reverse("enforcement:case_export")
    header, row = _rows(client_for(county_officer).get(url))
    assert "程序" in header and "状态" in header
    assert row[header.index("当事人")] == general_case.party_name
    assert row[header.index("程序")] == general_case.get_procedure_display()
    assert _rows(client_for(other_town_official).get(url))[1:] == []
    assert len(_rows(client_for(town_official).get(url))[1:]) == 1
    assert _rows(client_for(county_officer).get(url, {"town": county.other_town.pk}))[1:] == []


def test_accident_export_is_get_only_and_scoped(county, enterprise_manager, client_for):
    url = reverse("enforcement:accident_export")
    assert client_for(enterprise_manager).post(url).status_code == 405
    header, *rows = _rows(client_for(enterprise_manager).get(url))
    assert header[0] == "发生时间" and rows == []
