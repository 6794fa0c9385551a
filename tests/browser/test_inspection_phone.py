"""Issue 10 item 5 at phone size: a town official of 澧阳街道 logs an inspection with the
checklist (thumb-sized answers) and a finding with a camera photo; the draft survives a
reload; the record is submitted and the finding becomes a hazard in the ledger."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from enforcement.inspections.models import FindingPhoto, Inspection
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


def test_a_town_official_logs_an_inspection_on_a_phone(
    live_server,
    phone_page,
    county,
    powers,  # noqa: F811 (the fixture imported above)
    checklists,  # noqa: F811 (the fixture imported above)
    other_town_official,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    page = phone_page
    log_in(page, live_server.url, other_town_official.username)
    page.goto(f"{live_server.url}/enforcement/inspections/")
    page.get_by_role("link", name="登记检查").click()
    page.get_by_label("企业名称或统一社会信用代码").fill("澧阳化工")
    page.get_by_role("link", name="澧阳化工有限公司").click()
    expect(page.get_by_test_id("inspected-enterprise")).to_have_text("澧阳化工有限公司")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    first = page.locator(".checklist-item").first
    no = first.get_by_text("不符合", exact=True)
    box = no.bounding_box()
    assert box["height"] >= 44  # a thumb's target
    no.click()
    expect(first.locator("input[value=no]")).to_be_checked()
    page.get_by_label("被检查单位负责人签字").fill("王厂长")
    card = page.get_by_test_id("finding-card").first
    card.get_by_label("问题描述").fill("可燃气体报警装置未安装")
    card.get_by_label("部位").fill("储罐区")
    camera = card.get_by_label("现场照片")
    expect(camera).to_have_attribute("accept", "image/*")
    expect(camera).to_have_attribute("capture", "environment")

    # the signal drops: the page is reloaded, the draft comes back from the phone
    page.reload()
    expect(page.get_by_test_id("draft-notice")).to_be_visible()
    card = page.get_by_test_id("finding-card").first
    expect(card.get_by_label("问题描述")).to_have_value("可燃气体报警装置未安装")
    expect(page.locator(".checklist-item").first.locator("input[value=no]")).to_be_checked()
    expect(page.get_by_label("被检查单位负责人签字")).to_have_value("王厂长")

    card.get_by_label("现场照片").set_input_files(
        {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": big_photo()}
    )
    # shrunk in the browser before it is sent
    page.wait_for_function(
        "document.querySelector('input[type=file]').dataset.shrinking.startsWith('done')"
    )
    page.get_by_test_id("save-inspection").click()
    expect(page.get_by_text("检查记录已保存（草稿），核对后请提交。")).to_be_visible()
    inspection = Inspection.objects.get()
    assert inspection.enterprise == county.ly_chem
    stored = FindingPhoto.objects.get()
    with Image.open(stored.file.path) as kept:
        assert max(kept.size) <= 1600
    key = f"inspection-draft:{other_town_official.pk}:{county.ly_chem.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}')") is None

    page.get_by_test_id("form-submit").get_by_role("button", name="提交检查记录").click()
    expect(page.get_by_test_id("inspection-status")).to_have_text("已提交")
    form = page.get_by_test_id("to-hazard-form")
    form.get_by_label("整改期限").fill(days(10).isoformat())
    form.get_by_label("整改责任人").fill("王厂长")
    form.get_by_role("button", name="转为隐患").click()
    expect(page.get_by_test_id("finding-hazard")).to_be_visible()

    page.goto(f"{live_server.url}/hazards/")
    table = page.get_by_test_id("hazard-table")
    expect(table).to_contain_text("澧阳化工有限公司")
    expect(table).to_contain_text("储罐区")
    assert timezone.localdate() == inspection.inspected_on
