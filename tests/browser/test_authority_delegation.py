"""The county office registers a town's delegation in the browser: the item picker's
search narrows the 119-item list, "select all (shown)" ticks only what is shown, and the
saved delegation turns the town's general procedure on."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from enforcement.authority.models import TownAuthorisation
from tests.browser.helpers import log_in, navigate
from tests.enforcement.factories import DelegatedItemFactory, days
from tests.factories import PASSWORD, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_office_registers_a_delegation_with_the_item_picker(
    page, live_server, county, county_officer
):
    town = OrganisationFactory(code="430723118", name="城头山镇")
    for n in range(6):
        DelegatedItemFactory(
            code=f"LXWT-{n:03d}",
            name=("未设置安全警示标志" if n < 2 else "未提供劳动防护用品") + f"（{n}）",
            delegating_department=county.department,
        )
    log_in(page, live_server.url, "county_officer", PASSWORD)
    navigate(page, "执法依据", "镇街委托授权")
    page.get_by_role("link", name="登记委托书").click()
    page.get_by_label("镇街").select_option(label="城头山镇")
    page.get_by_label("委托书文号").fill("澧政发〔2025〕12号")
    page.get_by_text("一般程序", exact=True).click()
    page.get_by_label("委托起始日").fill(days(-1).isoformat())
    page.get_by_label("委托截止日").fill(days(700).isoformat())
    picker = page.get_by_test_id("item-picker")
    picker.get_by_placeholder("按名称或编码筛选").fill("警示标志")
    picker.get_by_role("button", name="全选（筛选结果）").click()
    expect(picker.locator("[data-item-count]")).to_have_text("2")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("page-heading")).to_contain_text("城头山镇")
    authorisation = TownAuthorisation.objects.get(town=town)
    assert sorted(authorisation.items.values_list("code", flat=True)) == ["LXWT-000", "LXWT-001"]
    town.refresh_from_db()
    assert town.general_procedure_authorised
