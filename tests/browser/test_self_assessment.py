"""An enterprise manager completes and submits the self-assessment in the browser; the
town official turns a failed item into a hazard, adjusts a score and accepts it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.reference import ensure_grade_bands, load_assessment_template
from hazards.models import Hazard
from tests.browser.helpers import navigate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_enterprise_submits_and_town_reviews_the_self_assessment(
    live_server, page, county, enterprise_manager, town_official
):
    load_assessment_template()
    ensure_grade_bands()  # a transactional test: an earlier one may have flushed the seed
    year = timezone.localdate().year

    # the enterprise fills the checklist, saves a draft, then submits
    log_in(page, live_server.url, enterprise_manager.username)
    navigate(page, "企业", "安全生产自评")
    page.get_by_role("button", name=f"开展{year}年度自评").click()
    expect(page.get_by_test_id("assessment-status")).to_have_text("填报中")
    page.get_by_label("第A1项得分").fill("5")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.get_by_label("第A1项得分")).to_have_value("5")

    scores = page.locator("input[name^='score_']")
    for index in range(scores.count()):
        field = scores.nth(index)
        field.fill(field.get_attribute("max"))  # full marks ...
    page.get_by_label("第B1项得分").fill("2")  # ... except B1 (7 points), a failed item
    page.get_by_label("第B1项得分").press("Tab")
    page.locator("textarea[name^='note_']").first.fill("责任制已印发并签订责任书")
    page.get_by_role("button", name="提交自评").click()
    expect(page.get_by_text("自评已提交，等待审核。")).to_be_visible()
    expect(page.get_by_test_id("assessment-status")).to_have_text("待审核")
    expect(page.get_by_test_id("assessment-result")).to_have_text(re.compile(r"95\.0 · 优"))
    log_out(page)

    # the town official reviews it
    log_in(page, live_server.url, town_official.username)
    navigate(page, "企业", "安全生产自评")
    page.get_by_role("link", name=county.xdk_build.name).click()
    row = page.locator("[data-item='B1']")
    row.get_by_role("button", name="转为隐患").click()
    expect(page.get_by_test_id("hazard-link-B1")).to_be_visible()

    page.get_by_label("第A1项审核得分").fill("3")
    page.get_by_label("第A1项调整理由").fill("责任制未覆盖劳务派遣人员")
    page.get_by_label("审核意见").fill("请完善安全管理机构设置")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("已审核通过。")).to_be_visible()
    expect(page.get_by_test_id("assessment-status")).to_have_text("已通过")
    expect(page.get_by_test_id("assessment-result")).to_have_text(re.compile(r"93\.0 · 优"))

    assessment = SelfAssessment.objects.get(enterprise=county.xdk_build)
    assert assessment.status == AssessmentStatus.ACCEPTED
    failed = assessment.answers.get(code="B1")
    assert failed.hazard == Hazard.objects.get(enterprise=county.xdk_build)
