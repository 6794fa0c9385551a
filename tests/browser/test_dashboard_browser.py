"""A leader opens the dashboard from the navigation, sees the charts drawn, and a figure
opens the list it counts; a town official's dashboard fits a phone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hazards.models import HazardClass, HazardStatus
from tests.browser.helpers import log_in, navigate
from tests.browser.test_hazard_controls import log_in as log_in_on_a_phone
from tests.factories import PASSWORD
from tests.hazards.factories import HazardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hazards(county):
    today = timezone.localdate()
    found = today - datetime.timedelta(days=min(3, (today - today.replace(month=1, day=1)).days))
    for enterprise in (county.xdk_chem, county.ly_build):
        HazardFactory(enterprise=enterprise, found_on=found)
    HazardFactory(
        enterprise=county.xdk_chem,
        found_on=found,
        hazard_class=HazardClass.MAJOR,
        status=HazardStatus.CLOSED,
        closed_on=found,
    )


def test_a_leader_sees_the_charts_and_a_figure_opens_its_list(live_server, page, county, leader):
    hazards(county)
    log_in(page, live_server.url, "leader", PASSWORD)
    navigate(page, "", "数据看板")
    expect(page.get_by_test_id("page-heading")).to_have_text("全县安全生产数据看板")
    # every chart is drawn (ECharts' SVG renderer)
    charts = page.locator("[data-chart]")
    assert charts.count() >= 6
    for index in range(charts.count()):
        expect(charts.nth(index).locator("svg")).to_have_count(1)
    found = page.locator('[data-key="found"]')
    expect(found).to_contain_text("3")
    found.click()
    expect(page.get_by_test_id("list-count")).to_have_text("共 3 条")
    page.go_back()
    page.locator('[data-key="major_closed"]').click()
    expect(page.get_by_test_id("list-count")).to_have_text("共 1 条")


def test_a_town_officials_dashboard_fits_a_phone(live_server, phone_page, county, town_official):
    hazards(county)
    log_in_on_a_phone(phone_page, live_server.url, "town_official")
    phone_page.goto(f"{live_server.url}/dashboard/")
    expect(phone_page.get_by_test_id("page-heading")).to_have_text("小渡口镇安全生产数据看板")
    expect(phone_page.locator('[data-key="found"]')).to_contain_text("2")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
