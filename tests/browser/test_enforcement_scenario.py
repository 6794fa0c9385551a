"""Issue 10, "Done means", as one flow in the browser.

A town official of 澧阳街道 (delegated the simple procedure only), on a phone-sized screen,
logs an inspection of 澧阳化工 (the checklist answered with the thumb, a finding with a camera
photo shrunk in the browser; the draft survives a dropped signal), submits it, turns the
finding into a hazard (which then shows in the hazard ledger), issues an on-the-spot fine
from that inspection (the numbered decision is shown) and is refused a general case with
the reason in Chinese. Then an official of 小渡口镇 (general procedure) opens a general case.

This replaces the separate phone-inspection and cases browser tests (one live server and
one login per person instead of three)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from enforcement.cases.models import Case
from enforcement.inspections.models import FindingPhoto, Inspection
from hazards.models import Hazard
from tests.browser.test_hazard_controls import log_in

# the enforcement personas (fixtures of tests/enforcement/conftest.py, outside this folder)
from tests.enforcement.conftest import checklists, powers  # noqa: F401 (pytest fixtures)
from tests.enforcement.factories import days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def big_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3200, 2400), "orange").save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def fits_the_phone(page) -> None:
    """Nothing sticks out sideways: the page scrolls only downwards."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_issue_10_done_means(
    live_server,
    phone_page,
    page,
    county,
    powers,  # noqa: F811 (the fixture imported above)
    checklists,  # noqa: F811 (the fixture imported above)
    other_town_official,
    town_official,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    phone = phone_page

    # --- 澧阳街道, on a phone: log the inspection -----------------------------------------
    log_in(phone, live_server.url, other_town_official.username)
    phone.goto(f"{live_server.url}/enforcement/inspections/")
    phone.get_by_role("link", name="登记检查").click()
    phone.get_by_label("企业名称或统一社会信用代码").fill("澧阳化工")
    phone.get_by_role("link", name="澧阳化工有限公司").click()
    expect(phone.get_by_test_id("inspected-enterprise")).to_have_text("澧阳化工有限公司")
    fits_the_phone(phone)

    first = phone.locator(".checklist-item").first
    no = first.get_by_text("不符合", exact=True)
    assert no.bounding_box()["height"] >= 44  # a thumb's target
    no.click()
    expect(first.locator("input[value=no]")).to_be_checked()
    phone.get_by_label("被检查单位负责人签字").fill("王厂长")
    card = phone.get_by_test_id("finding-card").first
    card.get_by_label("问题描述").fill("可燃气体报警装置未安装")
    card.get_by_label("部位").fill("储罐区")
    camera = card.get_by_label("现场照片")
    expect(camera).to_have_attribute("accept", "image/*")
    expect(camera).to_have_attribute("capture", "environment")

    # the signal drops: the page is reloaded, the draft comes back from the phone
    phone.reload()
    expect(phone.get_by_test_id("draft-notice")).to_be_visible()
    card = phone.get_by_test_id("finding-card").first
    expect(card.get_by_label("问题描述")).to_have_value("可燃气体报警装置未安装")
    expect(phone.locator(".checklist-item").first.locator("input[value=no]")).to_be_checked()
    expect(phone.get_by_label("被检查单位负责人签字")).to_have_value("王厂长")

    card.get_by_label("现场照片").set_input_files(
        {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": big_photo()}
    )
    # shrunk in the browser before it is sent
    # (a locator assertion, not wait_for_function: the page's CSP forbids eval)
    expect(phone.locator("input[type=file]").first).to_have_attribute(
        "data-shrinking", re.compile(r"^done")
    )
    phone.get_by_test_id("save-inspection").click()
    expect(phone.get_by_text("检查记录已保存（草稿），核对后请提交。")).to_be_visible()
    inspection = Inspection.objects.get()
    assert inspection.enterprise == county.ly_chem
    assert inspection.inspected_on == timezone.localdate()
    with Image.open(FindingPhoto.objects.get().file.path) as kept:
        assert max(kept.size) <= 1600
    key = f"inspection-draft:{other_town_official.pk}:{county.ly_chem.pk}"
    assert phone.evaluate(f"localStorage.getItem('{key}')") is None

    phone.get_by_test_id("form-submit").get_by_role("button", name="提交检查记录").click()
    expect(phone.get_by_test_id("inspection-status")).to_have_text("已提交")
    fits_the_phone(phone)

    # --- the finding becomes a hazard, and the hazard is in the ledger ---------------------
    form = phone.get_by_test_id("to-hazard-form")
    form.get_by_label("整改期限").fill(days(10).isoformat())
    form.get_by_label("整改责任人").fill("王厂长")
    form.get_by_role("button", name="转为隐患").click()
    expect(phone.get_by_test_id("finding-hazard")).to_be_visible()
    hazard = Hazard.objects.get()
    assert hazard.enterprise == county.ly_chem

    # --- a simple-procedure fine from this inspection --------------------------------------
    phone.get_by_test_id("case-link").click()
    expect(phone.get_by_test_id("page-heading")).to_have_text("当场处罚（简易程序）")
    expect(phone.get_by_test_id("unit-authority")).to_contain_text("来源检查")
    expect(phone.get_by_label("当事人名称或姓名")).to_have_value("澧阳化工有限公司")
    phone.get_by_label("执法事项").select_option(str(powers.fine_item.pk))
    phone.get_by_label("违法事实").fill("储罐区未安装可燃气体报警装置")
    phone.get_by_label("罚款金额（元）").fill("3000")  # the organisation's cap on the spot
    phone.get_by_role("button", name="作出当场处罚决定").click()
    expect(phone.get_by_test_id("decision-number")).to_contain_text("简罚")
    expect(phone.get_by_test_id("case-status")).to_have_text("已送达")
    fits_the_phone(phone)
    case = Case.objects.get()
    assert case.inspection == inspection
    assert case.enterprise == county.ly_chem

    phone.goto(f"{live_server.url}/hazards/")
    table = phone.get_by_test_id("hazard-table")
    expect(table).to_contain_text("澧阳化工有限公司")
    expect(table).to_contain_text("储罐区")

    # --- a general case is refused, with the reason --------------------------------------
    phone.goto(f"{live_server.url}/enforcement/cases/new/?procedure=general")
    expect(phone.get_by_test_id("general-refusal")).to_contain_text(
        "澧阳街道仅受委托适用简易程序，不能以一般程序立案；请移交委托机关办理。"
    )
    expect(phone.get_by_role("button", name="立案")).to_have_count(0)
    assert Case.objects.count() == 1
    # and the case list offers it only the on-the-spot fine it may use
    phone.goto(f"{live_server.url}/enforcement/cases/")
    expect(phone.get_by_test_id("new-simple")).to_be_visible()
    expect(phone.get_by_test_id("new-general")).to_have_count(0)
    fits_the_phone(phone)

    # --- 小渡口镇, at the desk: a general case -------------------------------------------
    log_in(page, live_server.url, town_official.username)
    page.goto(f"{live_server.url}/enforcement/cases/")
    page.get_by_test_id("new-general").click()
    expect(page.get_by_test_id("general-refusal")).to_have_count(0)
    # the enterprise is searched (no select of every enterprise), then picked
    page.get_by_label("当事企业").fill("小渡口建筑")
    page.get_by_test_id("enterprise-results").get_by_role(
        "link", name=county.xdk_build.name
    ).click()
    expect(page.get_by_test_id("enterprise-chosen")).to_contain_text(county.xdk_build.name)
    page.get_by_label("执法事项").select_option(str(powers.fine_item.pk))
    page.get_by_label("违法事实").fill("未设置安全警示标志")
    page.get_by_label("钱执法").check()
    page.get_by_role("button", name="立案").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已立案")
    expect(page.get_by_test_id("case-documents")).to_contain_text("立案审批表")
    expect(page.get_by_test_id("step-evidence")).to_be_visible()
