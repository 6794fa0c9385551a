"""Issue 8 items 12 and 15 in the browser at phone size: the verification choice shows
which answer is chosen, 通过 needs no opinion, the verifier attaches an on-site photo;
photos are shrunk before upload and shown as small labelled thumbnails."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from hazards import services
from tests.factories import PASSWORD, evidence_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_photo(width=3000, height=2000) -> bytes:
    """A picture as a phone takes it: large and several megabytes."""
    buffer = io.BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def log_in(page, base_url, username):
    """Log in (the user menu is folded away at phone size: wait for the home page)."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="登录")).to_have_count(0)


def background(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


@pytest.fixture
def started(county, enterprise_manager, town_official, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    hazard = services.report_hazard(
        actor=town_official,
        enterprise=county.xdk_build,
        source="inspection",
        description="消防通道被成品占用",
        location="成品仓库",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        responsible_person="周经理",
    )
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    return hazard


def test_phone_photo_is_shrunk_shown_as_thumbnail_and_verified_with_buttons(
    live_server, phone_page, started
):
    page = phone_page
    detail = f"{live_server.url}/hazards/{started.pk}/"
    log_in(page, live_server.url, "enterprise_manager")
    page.goto(detail)
    form = page.get_by_test_id("form-submit")
    form.get_by_label("整改情况").fill("已清理通道并划线")
    # no photo or file: refused with a clear message
    form.get_by_role("button", name="提交整改").click()
    expect(page.get_by_text("提交整改须上传至少一张整改后的照片").first).to_be_visible()
    form = page.get_by_test_id("form-submit")
    form.get_by_label("整改情况").fill("已清理通道并划线")
    big = phone_photo()
    files = form.get_by_label("整改证据（照片或 PDF）")
    files.set_input_files({"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": big})
    expect(files).to_have_attribute("data-shrinking", "done-1-IMG_2041.jpg")
    sent = files.evaluate("el => el.files[0].size")
    assert sent < len(big) / 2
    form.get_by_role("button", name="提交整改").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("待核查")
    group = page.get_by_test_id("attachments-evidence")
    expect(group).to_contain_text("整改证据（整改后）")
    thumb = page.get_by_test_id("attachments").get_by_role("img").first
    assert "size=thumb" in thumb.get_attribute("src")
    thumb.scroll_into_view_if_needed()  # loaded lazily
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    assert thumb.evaluate("img => img.naturalWidth") == 320  # not the full picture

    log_in(page, live_server.url, "town_official")
    page.goto(detail)
    form = page.get_by_test_id("form-verify")
    passed = form.locator("label", has_text="通过，同意销号")
    failed = form.locator("label", has_text="不通过，退回整改")
    expect(passed).to_be_visible()
    expect(failed).to_be_visible()
    assert passed.bounding_box()["height"] >= 40  # a button, not an empty box
    expect(form.get_by_label("通过，同意销号")).to_be_checked()
    assert background(passed) != background(failed)  # the chosen one is shown
    failed.click()
    expect(form.get_by_label("不通过，退回整改")).to_be_checked()
    assert background(failed) != background(passed)
    passed.click()
    expect(form.get_by_label("通过，同意销号")).to_be_checked()
    form.get_by_label("现场核查照片").set_input_files(
        {"name": "核查.png", "mimeType": "image/png", "buffer": evidence_photo().read()}
    )
    form.get_by_role("button", name="提交核查结果").click()  # no opinion needed to pass
    expect(page.get_by_test_id("hazard-status")).to_have_text("已销号")
    expect(page.get_by_test_id("attachments-verify")).to_contain_text("现场核查照片")


def test_verification_choice_is_visible_at_desk_size(
    live_server, page, started, enterprise_manager
):
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=started.pk, note="已整改", files=[evidence_photo()]
    )
    log_in(page, live_server.url, "town_official")
    page.goto(f"{live_server.url}/hazards/{started.pk}/")
    form = page.get_by_test_id("form-verify")
    failed = form.locator("label", has_text="不通过，退回整改")
    failed.click()
    expect(form.get_by_label("不通过，退回整改")).to_be_checked()
    form.get_by_role("button", name="提交核查结果").click()
    # 不通过 needs the written explanation
    expect(page.get_by_text("不通过时须填写书面说明").first).to_be_visible()
    form = page.get_by_test_id("form-verify")
    expect(form.get_by_label("不通过，退回整改")).to_be_checked()  # the choice is kept
    form.get_by_label("核查意见（不通过时必填：存在的问题和整改要求）").fill("通道仍有堆放")
    form.get_by_role("button", name="提交核查结果").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("整改中")
