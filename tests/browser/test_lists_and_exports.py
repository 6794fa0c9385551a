"""What a list's Excel export holds after the list was filtered in the browser (htmx
re-renders the table only: the export must follow the filter, not the page's first query)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import PASSWORD
from tests.hazards.factories import HazardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def exported_rows(page) -> list[tuple]:
    with page.expect_download() as download:
        page.get_by_test_id("export-link").click()
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_hazard_export_holds_exactly_the_list_filtered_with_the_town_select(
    live_server, page, county, county_officer
):
    for key in ("xdk_chem", "xdk_build", "ly_chem", "ly_build"):
        HazardFactory(enterprise=getattr(county, key))
    log_in(page, live_server.url, "county_officer", PASSWORD)
    page.goto(f"{live_server.url}/hazards/")
    expect(page.get_by_text("共 4 条")).to_be_visible()
    page.get_by_label("镇街").select_option(label="澧阳街道")  # htmx re-renders the table
    expect(page.get_by_text("共 2 条")).to_be_visible()
    rows = exported_rows(page)
    assert sorted(row[1] for row in rows) == sorted([county.ly_chem.name, county.ly_build.name])


def test_enterprise_export_holds_exactly_the_list_searched_with_the_query_button(
    live_server, page, county, county_officer
):
    log_in(page, live_server.url, "county_officer", PASSWORD)
    page.goto(f"{live_server.url}/enterprises/")
    expect(page.get_by_text("共 4 条")).to_be_visible()
    page.get_by_label("名称或信用代码").fill("化工")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 2 条")).to_be_visible()
    rows = exported_rows(page)
    assert sorted(row[0] for row in rows) == sorted([county.xdk_chem.name, county.ly_chem.name])
