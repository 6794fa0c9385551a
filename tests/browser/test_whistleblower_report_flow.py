"""A whistleblower report in a browser: a member of the public on a phone reports
anonymously and keeps the receipt code; the county office accepts and assigns it; the
department verifies it and feeds back; the reporter reads the feedback by the code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_hazard_controls import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _follow(page, base_url, code):
    page.goto(f"{base_url}/enforcement/report/status/")
    page.locator("#id_code").fill(code)
    page.get_by_test_id("lookup").click()


def test_report_anonymously_follow_by_code_and_handle_to_feedback(
    live_server, page, phone_page, browser, county, county_officer, department_official
):
    base = live_server.url
    phone_page.goto(f"{base}/enforcement/report/")
    phone_page.locator("#id_kind").select_option("hazard")
    phone_page.locator("#id_enterprise_name").fill(county.xdk_chem.name)
    phone_page.locator("#id_location").fill("东侧仓库")
    phone_page.locator("#id_description").fill("消防通道长期被货物堵塞")
    phone_page.locator("#id_anonymous").check()
    phone_page.get_by_test_id("submit-report").click()
    code = phone_page.get_by_test_id("receipt-code").inner_text().strip()
    assert len(code.replace("-", "")) == 16
    no_sideways = "document.documentElement.scrollWidth <= window.innerWidth"
    assert phone_page.evaluate(no_sideways)

    _follow(phone_page, base, code)
    expect(phone_page.get_by_test_id("stage")).to_have_text("已收到，等待受理")

    log_in(page, base, county_officer.username)
    page.goto(f"{base}/enforcement/reports/")
    page.get_by_test_id("report-table").get_by_role("link").first.click()
    expect(page.get_by_test_id("reporter")).to_contain_text("匿名")
    page.get_by_test_id("form-accept").get_by_role("button", name="受理").click()
    page.get_by_test_id("form-assign").locator("select").select_option(str(county.department.pk))
    page.get_by_test_id("form-assign").get_by_role("button", name="交办核查").click()
    expect(page.get_by_test_id("report-status")).to_have_text("核查中")
    detail = page.url

    context = browser.new_context()
    handler = context.new_page()
    log_in(handler, base, department_official.username)
    handler.goto(detail)
    verify = handler.get_by_test_id("form-verify")
    verify.locator("select").first.select_option("substantiated")
    verify.locator("textarea").fill("现场确认通道堵塞 内部记录")
    verify.get_by_role("button", name="登记核查结果").click()
    feedback = handler.get_by_test_id("form-feedback")
    feedback.locator("textarea").fill("已责令企业立即清理通道，感谢监督。")
    feedback.get_by_role("button", name="向举报人反馈").click()
    expect(handler.get_by_test_id("report-status")).to_have_text("已反馈")
    context.close()

    _follow(phone_page, base, code.lower())
    expect(phone_page.get_by_test_id("stage")).to_have_text("已办结")
    expect(phone_page.get_by_test_id("feedback")).to_contain_text("已责令企业立即清理通道")
    expect(phone_page.get_by_text("内部记录")).to_have_count(0)
