"""Log in as each demo role, see the right home page and enterprise list, log out."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from enterprises.models import Enterprise
from safetyportal.accounts.models import User
from tests.browser.helpers import navigate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo@2026"

# username -> (home heading pattern, what the enterprise list must show)
EXPECTED_HOMES = {
    "county": r"县安委办工作台",
    "leader": r"领导工作台",
    "dept_yjj": r"应急管理局工作台",
    "town_xdk": r"小渡口镇工作台",
    "town_lyj": r"澧阳街道工作台",
    "enterprise": r"华鑫建材有限公司",
    "expert": r"专家工作台",
}


@pytest.fixture
def demo_data(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0)


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_each_demo_role_sees_its_home_and_its_enterprises(live_server, page, demo_data):
    for username, heading in EXPECTED_HOMES.items():
        user = User.objects.get(username=username)
        log_in(page, live_server.url, username)
        expect(page.get_by_test_id("home-heading")).to_have_text(re.compile(heading))
        expect(page.get_by_test_id("user-role")).to_have_text(user.get_role_display())

        visible = Enterprise.objects.visible_to(user)
        if user.enterprise_id:
            # an enterprise account opens its own file, not a registry (issue 8 item 17)
            navigate(page, "企业", "本企业档案")
            expect(page.get_by_test_id("page-heading")).to_contain_text(user.enterprise.name)
            log_out(page)
            continue
        navigate(page, "企业", "企业名录")
        expect(page.get_by_test_id("page-heading")).to_have_text("企业名录")
        expect(page.get_by_text(f"共 {visible.count()} 条")).to_be_visible()
        names = page.get_by_test_id("enterprise-table").locator("tbody tr td:first-child a")
        shown = set(names.all_inner_texts())
        assert shown, f"{username} sees an empty enterprise list"
        allowed = set(visible.filter(name__in=shown).values_list("name", flat=True))
        assert shown == allowed, (
            f"{username} sees enterprises outside their scope: {shown - allowed}"
        )
        log_out(page)
        # after logging out the portal is closed again
        page.goto(f"{live_server.url}/enterprises/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_wrong_password_shows_a_chinese_error(live_server, page, demo_data):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("town_xdk")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")


def test_town_official_filters_the_list_on_a_phone(live_server, phone_page, demo_data):
    page = phone_page
    log_in(page, live_server.url, "town_xdk")
    page.goto(f"{live_server.url}/enterprises/?is_high_risk=true")
    town = User.objects.get(username="town_xdk").organisation
    expected = Enterprise.objects.filter(town=town, is_high_risk=True).count()
    expect(page.get_by_text(f"共 {expected} 条")).to_be_visible()
