"""Issue 8 item 16 at phone size (390 x 844): the self-assessment is one card per item
with the camera at hand, and list rows open as a whole, also after an htmx filter."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.reference import ensure_grade_bands, load_assessment_template
from hazards import services
from tests.browser.test_hazard_controls import log_in
from tests.factories import evidence_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def test_self_assessment_is_one_card_per_item_with_the_camera(
    live_server, phone_page, county, enterprise_manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load_assessment_template()
    ensure_grade_bands()
    page = phone_page
    year = timezone.localdate().year
    log_in(page, live_server.url, enterprise_manager.username)
    page.goto(f"{live_server.url}/enterprises/assessments/")
    page.get_by_role("button", name=f"开展{year}年度自评").click()
    expect(page.get_by_test_id("assessment-status")).to_have_text("填报中")
    # nothing wider than the phone: no squeezed table scrolled sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    item = page.locator("[data-item='A1']")
    expect(item).to_contain_text("标准分 5")
    score = page.get_by_label("第A1项得分")
    box = score.bounding_box()
    assert box["width"] >= 80 and box["x"] + box["width"] <= PHONE_WIDTH
    card = item.bounding_box()
    assert card["width"] > PHONE_WIDTH * 0.85  # the requirement reads across the phone
    camera = page.get_by_label("第A1项拍照上传")
    expect(camera).to_have_attribute("accept", "image/*")
    expect(camera).to_have_attribute("capture", "environment")
    score.fill("4")
    item.get_by_label("不适用").check()
    item.get_by_label("不适用").uncheck()
    camera.set_input_files(
        {"name": "责任书.png", "mimeType": "image/png", "buffer": evidence_photo().read()}
    )
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    item = page.locator("[data-item='A1']")
    expect(item.get_by_role("link", name="责任书.png")).to_be_visible()
    expect(page.get_by_label("第A1项得分")).to_have_value("4")


def test_list_rows_open_on_a_tap_anywhere_in_the_row(
    live_server, phone_page, county, town_official
):
    hazard = services.report_hazard(
        actor=town_official,
        enterprise=county.xdk_build,
        source="inspection",
        description="配电房无挡鼠板",
        location="配电房",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        responsible_person="周经理",
    )
    page = phone_page
    log_in(page, live_server.url, town_official.username)
    page.goto(f"{live_server.url}/hazards/")
    page.get_by_role("cell", name="配电房").click()  # not the 16 px number
    expect(page).to_have_url(f"{live_server.url}/hazards/{hazard.pk}/")

    # a list refreshed by htmx (a filter) still opens on a tap
    page.goto(f"{live_server.url}/hazards/")
    with page.expect_response(lambda r: "/hazards/?" in r.url):
        page.get_by_label("等级").select_option(label="一般")
    page.get_by_role("cell", name=county.xdk_build.name).first.click()
    expect(page).to_have_url(f"{live_server.url}/hazards/{hazard.pk}/")

    # the link itself is still the keyboard's way in
    page.goto(f"{live_server.url}/enterprises/")
    link = page.get_by_role("link", name=county.xdk_build.name)
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/enterprises/{county.xdk_build.pk}/")
    page.goto(f"{live_server.url}/enterprises/")
    row = page.locator("tr", has=page.get_by_role("link", name=county.xdk_build.name))
    row.get_by_role("cell", name=county.xdk_build.industry.name).click()
    expect(page).to_have_url(f"{live_server.url}/enterprises/{county.xdk_build.pk}/")
