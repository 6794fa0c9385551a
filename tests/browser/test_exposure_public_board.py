"""The exposure board in a browser: the county office publishes a closed case from its
management page at desk size; a member of the public, on a phone, reaches the board from
the login page's footer, finds the case by name and reads it, without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_hazard_controls import log_in
from tests.enforcement.factories import (
    ClosedCaseFactory,
    DelegatedItemFactory,
    TownAuthorisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def test_publish_then_read_on_a_phone(
    live_server,
    page,
    phone_page,
    county,
    county_officer,
    town_official,
):
    item = DelegatedItemFactory(delegating_department=county.department)
    TownAuthorisationFactory(town=county.town, items=[item])
    case = ClosedCaseFactory(
        enterprise=county.ly_build,
        item=item,
        created_by=town_official,
        unit=county.town,
        town=county.town,
    )
    log_in(page, live_server.url, county_officer.username)
    page.goto(f"{live_server.url}/enforcement/exposure/manage/")
    row = page.get_by_test_id("candidate").filter(has_text=case.decision_number)
    row.get_by_role("button", name="公开").click()
    expect(page.get_by_role("alert").filter(has_text="已在曝光台公开")).to_be_visible()
    page.screenshot(path="/tmp/expo-manage-desk.png", full_page=True)

    phone = phone_page
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_test_id("exposure-link").click()
    expect(phone.get_by_test_id("page-heading")).to_have_text("安全生产执法曝光台")
    phone.get_by_label("当事人名称").fill("澧阳建设")
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("exposed-case")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    phone.screenshot(path="/tmp/expo-public-phone.png", full_page=True)
    phone.get_by_test_id("exposed-case").click()
    expect(phone.get_by_test_id("page-heading")).to_have_text("澧阳建设集团")
    expect(phone.get_by_text(case.decision_number)).to_be_visible()
    assert town_official.display_name not in phone.content()
