"""A department marks a duty item done with a document as evidence on its duty list and
sees it done; the county office sees the completion on the overview (issue 11)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyItemStatus
from tests.browser.helpers import log_in, navigate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_department_marks_an_item_done_and_the_county_sees_it(
    live_server, page, county, county_officer, department_official
):
    year = timezone.localdate().year
    duty_list = duty_services.create_duty_list(
        actor=county_officer, year=year, owner=county.department
    )
    for content in ("组织危险化学品专项检查", "开展安全生产月宣传"):
        duty_services.add_duty_item(
            actor=county_officer, duty_list_id=duty_list.pk, content=content
        )
    first = duty_list.items.get(order=1)

    # the department opens its list and marks the first item done with a document
    log_in(page, live_server.url, department_official.username, PASSWORD)
    navigate(page, "责任体系", "责任清单")
    page.get_by_role("link", name=county.department.name).click()
    row = page.locator(f"#duty-item-{first.pk}")
    expect(row.get_by_test_id("duty-item-status")).to_have_text("未完成")
    row.get_by_role("link", name="标记完成").click()  # opens the item's step form
    row = page.locator(f"#duty-item-{first.pk}")
    row.get_by_label("完成情况说明").fill("已开展专项检查 12 家，见检查记录")
    row.get_by_label(re.compile("佐证材料")).set_input_files(
        {"name": "检查记录.png", "mimeType": "image/png", "buffer": _png()}
    )
    row.get_by_role("button", name="标记完成").click()
    expect(page.get_by_text("已标记完成。")).to_be_visible()
    row = page.locator(f"#duty-item-{first.pk}")
    expect(row.get_by_test_id("duty-item-status")).to_have_text("已完成")
    expect(row.get_by_test_id("duty-item-evidence")).to_contain_text("已开展专项检查 12 家")
    expect(row.get_by_role("link", name=re.compile("检查记录"))).to_be_visible()
    expect(row.get_by_test_id("form-mark-done")).to_have_count(0)
    expect(row.get_by_test_id("open-reopen")).to_be_visible()  # the unit may correct it
    item = DutyItem.objects.get(pk=first.pk)
    assert item.status == DutyItemStatus.DONE and item.evidence_file
    log_out(page)

    # the county office sees the completion across the units
    log_in(page, live_server.url, county_officer.username, PASSWORD)
    navigate(page, "责任体系", "责任清单")
    overview = page.get_by_test_id("duty-row").filter(has_text=county.department.name)
    expect(overview).to_contain_text("50%")
    expect(overview.locator("td").nth(3)).to_have_text("1")
