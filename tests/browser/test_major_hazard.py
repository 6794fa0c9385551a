"""A major hazard walked from determination (认定) to 销号 in the browser, including a failed
on-site verification: county office, enterprise and town official each do their part."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hazards import services
from hazards.models import Hazard, HazardStatus
from tests.browser.helpers import navigate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# a minimal valid PDF: the evidence an application to close (销号) must carry
EVIDENCE = {
    "name": "监测报告.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n",
}


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_major_hazard_from_determination_to_closure(
    live_server, page, county, county_officer, town_official, enterprise_manager
):
    today = timezone.localdate()
    hazard = services.report_hazard(
        actor=town_official,
        enterprise=county.xdk_build,
        source="inspection",
        description="深基坑支护变形，无监测方案",
        location="2号基坑",
        deadline=today + datetime.timedelta(days=20),
        responsible_person="周经理",
    )
    detail = f"{live_server.url}/hazards/{hazard.pk}/"

    # 认定 and 交办 by the county office
    log_in(page, live_server.url, "county_officer")
    navigate(page, "隐患治理", "隐患台账")
    expect(page.get_by_test_id("page-heading")).to_have_text("隐患台账")
    page.get_by_role("link", name=hazard.code).click()
    form = page.get_by_test_id("form-determine")
    form.get_by_label("清单编号").fill("澧安隐〔2026〕7号")
    form.get_by_label("认定会议或文件").fill("县安委会2026年第3次专题会议纪要")
    form.get_by_label("挂牌督办").check()
    form.get_by_role("button", name="认定为重大隐患").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("已认定待交办")
    expect(page.get_by_test_id("listing")).to_contain_text("挂牌督办")

    form = page.get_by_test_id("form-assign")
    form.get_by_label("交办单号").fill("澧安交〔2026〕7号")
    form.get_by_label("治理责任单位").fill(county.xdk_build.name)
    form.get_by_label("协调督办单位").select_option(label="住建局")
    form.get_by_label("整改完成时限").fill((today + datetime.timedelta(days=45)).isoformat())
    form.get_by_label("整改责任人").fill("周经理")
    form.get_by_label("整改措施").fill("重新设计支护方案，加设监测点")
    form.get_by_label("整改资金（万元）").fill("25")
    form.get_by_label("资金来源").fill("企业自筹")
    form.get_by_label("应急预案及临时管控措施").fill("基坑周边停止作业，设置警戒区")
    form.get_by_role("button", name="下达交办单").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("整改中")
    slip_url = live_server.url + page.get_by_test_id("slip-pdf").get_attribute("href")
    pdf = page.request.get(slip_url)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    log_out(page)

    # 台账 and 申请销号 by the enterprise
    log_in(page, live_server.url, "enterprise_manager")
    page.goto(detail)
    form = page.get_by_test_id("form-progress")
    form.get_by_label("完成百分比").fill("60")
    form.get_by_label("进展情况").fill("支护方案已评审，监测点已布设")
    form.get_by_role("button", name="登记整改进展").click()
    expect(page.get_by_test_id("progress")).to_contain_text("60%")
    form = page.get_by_test_id("form-submit")
    form.get_by_label("整改情况").fill("支护加固完成，申请销号")
    form.get_by_role("button", name="申请销号").click()
    # 销号 needs evidence: refused until a file is attached
    expect(page.get_by_test_id("hazard-status")).to_have_text("整改中")
    expect(page.get_by_text("须上传至少一份整改证据").first).to_be_visible()
    form = page.get_by_test_id("form-submit")
    form.get_by_label("整改情况").fill("支护加固完成，申请销号")
    form.get_by_label("整改证据（照片或 PDF）").set_input_files(EVIDENCE)
    form.get_by_role("button", name="申请销号").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("待核查")
    expect(page.get_by_test_id("form-verify")).to_have_count(0)  # cannot verify its own
    log_out(page)

    # a failed on-site verification by the town: written explanation, stays on the list
    log_in(page, live_server.url, "town_official")
    page.goto(detail)
    form = page.get_by_test_id("form-verify")
    # the choice is two buttons: the radio is hidden behind its label, which is clicked
    form.locator("label", has_text="不通过，退回整改").click()
    expect(form.get_by_label("不通过，退回整改")).to_be_checked()
    form.get_by_label("核查意见（不通过时必填：存在的问题和整改要求）").fill(
        "监测数据未稳定，继续整改"
    )
    form.get_by_role("button", name="提交核查结果").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("整改中")
    expect(page.get_by_test_id("verifications")).to_contain_text("监测数据未稳定")
    log_out(page)

    log_in(page, live_server.url, "enterprise_manager")
    page.goto(detail)
    form = page.get_by_test_id("form-submit")
    form.get_by_label("整改情况").fill("监测数据连续七天稳定，再次申请销号")
    form.get_by_label("整改证据（照片或 PDF）").set_input_files(EVIDENCE)
    form.get_by_role("button", name="申请销号").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("待核查")
    log_out(page)

    # 销号 by the county office after on-site verification
    log_in(page, live_server.url, "county_officer")
    page.goto(detail)
    form = page.get_by_test_id("form-verify")
    # the choice is two buttons: the radio is hidden behind its label, which is clicked
    form.locator("label", has_text="通过，同意销号").click()
    expect(form.get_by_label("通过，同意销号")).to_be_checked()
    form.get_by_label("核查意见（不通过时必填：存在的问题和整改要求）").fill(
        "现场核查合格，同意销号"
    )
    form.get_by_role("button", name="提交核查结果").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("已销号")
    expect(page.get_by_test_id("closed-on")).to_have_text(today.isoformat())
    history = page.get_by_role("region", name="操作记录")
    for label in (
        "认定为重大事故隐患并列入清单",
        "下达了交办单",
        "核查不通过，退回整改",
        "核查通过，销号",
    ):
        expect(history).to_contain_text(label)
    expect(page.get_by_role("alert").first).to_contain_text(re.compile("核查结果已登记"))

    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert Hazard.objects.get(pk=hazard.pk).verifications.count() == 2
    assert hazard.attachments.filter(kind="evidence").count() == 2
