"""The year-end appraisal in the browser: the county office opens the round from the
scheme page, the results compute (eager Celery in tests), the town official reads its draft
and comments, the county office scores the manual indicator and submits, the leader
approves, the county office publishes and the town sees its published result. Screenshots
of the round and result pages at desk and phone size go to $APPRAISAL_SHOTS (if set)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from responsibilities import appraisal_services
from responsibilities.appraisal_models import AppraisalResult, IndicatorScore
from tests.browser.helpers import navigate
from tests.factories import PASSWORD
from tests.responsibilities.appraisal_setup import build_scheme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("APPRAISAL_SHOTS", "")


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # on a phone the user menu sits in the collapsed navbar: wait for the login to finish
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def shoot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_round_from_opening_to_publication(
    live_server, page, browser, county, county_officer, town_official, leader
):
    setup = build_scheme(county, county_officer)
    year = setup.year

    # the county office opens the round from the scheme page; results compute
    log_in(page, live_server.url, county_officer.username)
    navigate(page, "责任体系", "年度考核")
    page.get_by_role("link", name=f"{year} · {setup.scheme.title}").click()
    expect(page.get_by_test_id("indicator-table")).to_contain_text("责任清单完成率")
    page.get_by_label("数据截止日期").fill(f"{year}-12-31")
    page.get_by_role("button", name="启动考核并计算得分").click()
    expect(page.get_by_text("年度考核已启动，各单位得分正在计算。")).to_be_visible()
    expect(page.get_by_test_id("total-430723102")).to_have_text("30.00")
    expect(page.get_by_test_id("status-430723102")).to_have_text("待单位确认")
    shoot(page, "round-desk")
    log_out(page)

    # the town official opens its draft and comments
    log_in(page, live_server.url, town_official.username)
    navigate(page, "责任体系", "年度考核")
    page.get_by_test_id(f"own-result-{year}").click()
    expect(page.get_by_test_id("result-status")).to_have_text("待单位确认")
    expect(page.get_by_test_id("score-D1")).to_contain_text("应完成 4 项，已完成 3 项")
    expect(page.get_by_test_id("points-M1")).to_contain_text("待评议")
    page.get_by_label("自评意见").fill("第4项因汛期推迟至下半年完成。")
    page.get_by_role("button", name="提交自评意见").click()
    expect(page.get_by_text("自评意见已提交。")).to_be_visible()
    expect(page.get_by_test_id("result-status")).to_have_text("单位已自评")
    result_url = page.url
    log_out(page)

    # the county office scores the manual indicator and submits its review
    log_in(page, live_server.url, county_officer.username)
    page.goto(result_url)
    expect(page.get_by_test_id("self-report")).to_contain_text("汛期")
    form = page.get_by_test_id("adjust-M1")
    form.get_by_label("评审得分").fill("18")
    form.get_by_label("理由").fill("述职材料完整，整改态度积极")
    form.get_by_role("button", name="保存评审得分").click()
    expect(page.get_by_test_id("points-M1")).to_contain_text("18.00 分")
    expect(page.get_by_test_id("total")).to_have_text("48.00")
    shoot(page, "result-desk")
    page.get_by_label("评审意见").fill("同意")
    page.get_by_role("button", name="提交评审意见").click()
    expect(page.get_by_test_id("result-status")).to_have_text("已评审待审定")
    log_out(page)

    # the leader approves
    log_in(page, live_server.url, leader.username)
    page.goto(result_url)
    page.get_by_role("button", name="审定", exact=True).click()
    expect(page.get_by_test_id("result-status")).to_have_text("已审定")
    log_out(page)

    # the other units' results are reviewed and approved outside the browser
    for result in AppraisalResult.objects.exclude(unit=county.town):
        for score in IndicatorScore.objects.filter(result=result, indicator__code="M1"):
            appraisal_services.adjust_score(
                actor=county_officer, score=score, points=15, reason="述职良好"
            )
        appraisal_services.submit_review(actor=county_officer, result_id=result.pk)
        appraisal_services.approve(actor=leader, result_id=result.pk)

    # the county office publishes
    log_in(page, live_server.url, county_officer.username)
    page.goto(f"{live_server.url}/responsibilities/appraisal/{year}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("publish").click()
    expect(page.get_by_text("已向 5 个单位公布考核结果。")).to_be_visible()
    expect(page.get_by_test_id("round-status")).to_have_text("已公布")
    log_out(page)

    # the town sees its published result, at phone size too
    log_in(page, live_server.url, town_official.username)
    page.goto(result_url)
    expect(page.get_by_test_id("result-status")).to_have_text("已公布")
    expect(page.get_by_test_id("total")).to_have_text("48.00")

    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    log_in(phone, live_server.url, town_official.username)
    phone.goto(result_url)
    expect(phone.get_by_test_id("total")).to_have_text("48.00")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the result page scrolls sideways on a phone ({width}px)"
    shoot(phone, "result-phone")
    phone.goto(f"{live_server.url}/responsibilities/appraisal/{year}/")
    expect(phone.get_by_test_id("result-table")).to_contain_text("小渡口镇")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "round-phone-town")
    phone.context.close()
