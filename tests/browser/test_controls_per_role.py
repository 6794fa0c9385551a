"""Controls fit the role (issue 8 item 17): no link that leads to 403, no filter that
cannot apply, an enterprise's own file instead of a registry, a dangerous step that asks
first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hazards.models import Hazard, HazardStatus
from tests.browser.helpers import log_in, navigate
from tests.factories import PASSWORD
from tests.hazards.factories import HazardFactory, RiskPointFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_reads_the_risk_register_without_edit_links(
    live_server, page, county, leader, county_officer
):
    RiskPointFactory(enterprise=county.xdk_chem)
    log_in(page, live_server.url, "leader", PASSWORD)
    page.goto(f"{live_server.url}/hazards/risks/")
    expect(page.get_by_test_id("risk-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)


def test_town_official_lists_have_no_town_choice(live_server, page, county, town_official):
    log_in(page, live_server.url, "town_official", PASSWORD)
    for path in ("/hazards/", "/enterprises/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_label("行业")).to_be_visible()
        expect(page.get_by_label("镇街", exact=True)).to_have_count(0)


def test_county_officer_lists_keep_the_town_choice(live_server, page, county, county_officer):
    log_in(page, live_server.url, "county_officer", PASSWORD)
    page.goto(f"{live_server.url}/hazards/")
    expect(page.get_by_label("镇街", exact=True)).to_be_visible()
    expect(page.get_by_label("排序").locator("option", has_text="（降序）")).not_to_have_count(0)
    expect(page.get_by_label("排序").locator("option", has_text="descending")).to_have_count(0)


def test_enterprise_account_opens_its_own_file_not_a_registry(
    live_server, page, county, enterprise_manager
):
    log_in(page, live_server.url, "enterprise_manager", PASSWORD)
    navigate(page, "企业", "本企业档案")
    expect(page.get_by_test_id("page-heading")).to_contain_text(county.xdk_build.name)
    expect(page.get_by_test_id("enterprise-table")).to_have_count(0)


def test_void_is_a_red_button_that_asks_before_voiding(live_server, page, county, county_officer):
    hazard = HazardFactory(enterprise=county.xdk_build)
    log_in(page, live_server.url, "county_officer", PASSWORD)
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    form = page.get_by_test_id("form-void")
    form.get_by_label("作废原因").fill("重复登记")
    button = form.get_by_role("button", name="作废")
    expect(button).to_have_class("btn btn-danger btn-sm")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    button.click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("已发现")
    assert messages and "确定作废" in messages[0]
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REPORTED
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("已作废")
