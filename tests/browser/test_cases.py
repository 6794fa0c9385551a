"""Issue 10 item 6 in the browser: a town official of 澧阳街道 (simple procedure only)
issues an on-the-spot fine on a phone and is refused a general case with the reason; an
official of 小渡口镇 opens a general case."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_hazard_controls import log_in
from tests.enforcement.conftest import powers  # noqa: F401 (the enforcement personas fixture, used here)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_simple_only_town_fines_on_the_spot_and_is_refused_a_general_case(
    live_server,
    phone_page,
    powers,  # noqa: F811 (the imported fixture)
    other_town_official,
):
    page = phone_page
    log_in(page, live_server.url, other_town_official.username)
    page.goto(f"{live_server.url}/enforcement/cases/new/?procedure=simple")
    page.get_by_label("执法事项").select_option(str(powers.fine_item.pk))
    page.get_by_label("当事人类型").select_option("person")
    page.get_by_label("当事人名称或姓名").fill("张三")
    page.get_by_label("违法事实").fill("作业现场未佩戴安全帽")
    page.get_by_label("罚款金额（元）").fill("150")
    page.get_by_role("button", name="作出当场处罚决定").click()
    expect(page.get_by_test_id("decision-number")).to_contain_text("简罚")
    expect(page.get_by_test_id("case-status")).to_have_text("已送达")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/enforcement/cases/new/?procedure=general")
    expect(page.get_by_test_id("general-refusal")).to_contain_text("仅受委托适用简易程序")


def test_general_procedure_town_opens_a_general_case(
    live_server,
    page,
    powers,  # noqa: F811 (the imported fixture)
    county,
    town_official,
):
    log_in(page, live_server.url, town_official.username)
    page.goto(f"{live_server.url}/enforcement/cases/new/?procedure=general")
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
