"""The main pages, loaded in Chromium as several roles and as the public, raise no Content
Security Policy violation (ADR 0045): every `securitypolicyviolation` event and every
console message about the policy is collected, and there must be none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from safetyportal.accounts.roles import group_name
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# runs before any page script, outside the page's policy (Playwright's own world)
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') +
    ' at ' + (e.sourceFile || location.pathname) + ':' + e.lineNumber);
});
"""

PAGES = {
    "county_officer": [
        "home",
        "enterprises:list",
        "hazards:list",
        "hazards:risks",
        "enforcement:case_list",
        "enforcement:inspection_list",
        "enforcement:accident_statistics",
        "enforcement:authority_authorisation_create",
        "enforcement:report_list",
        "responsibilities:appraisal_index",
        "reports:list",
        "notifications:list",
        "profile",
        "api-docs",
        "admin:index",
        "admin:audit_auditevent_changelist",
    ],
    "town_official": ["home", "enterprises:list", "hazards:list", "enforcement:plan_progress"],
    "enterprise_manager": ["home", "hazards:list", "notifications:list"],
}
PUBLIC_PAGES = ["login", "enforcement:report_public_new", "enforcement:exposure_public"]


def watch(page) -> list[str]:
    messages: list[str] = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return messages


def visit(page, url: str, console: list[str]) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "default-src 'self'" in (response.header_value("content-security-policy") or ""), url
    page.wait_for_load_state("networkidle")
    if page.get_by_test_id("user-menu").count():
        page.get_by_test_id("user-menu").click()  # Bootstrap's dropdown positions itself
    found = page.evaluate("window.__cspViolations") + console
    console.clear()
    return [f"{url}: {violation}" for violation in found]


@pytest.fixture
def admin_officer(county_officer):
    county_officer.groups.add(Group.objects.get(name=group_name("county_office")))
    county_officer.is_staff = True
    county_officer.save(update_fields=["is_staff"])
    return county_officer


def test_the_main_pages_raise_no_policy_violation_for_each_role(
    live_server, browser, admin_officer, town_official, enterprise_manager
):
    users = {
        "county_officer": admin_officer,
        "town_official": town_official,
        "enterprise_manager": enterprise_manager,
    }
    violations: list[str] = []
    visited = 0
    for persona, names in PAGES.items():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        console = watch(page)
        log_in(page, live_server.url, users[persona].username, PASSWORD)
        for name in names:
            violations += visit(page, live_server.url + reverse(name), console)
            visited += 1
        context.close()
    assert visited == sum(len(names) for names in PAGES.values())
    assert violations == []


def test_the_public_pages_raise_no_policy_violation_on_a_phone(live_server, phone_page, county):
    console = watch(phone_page)
    violations: list[str] = []
    for name in PUBLIC_PAGES:
        violations += visit(phone_page, live_server.url + reverse(name), console)
    assert violations == []


def test_a_planted_inline_script_is_reported(live_server, page, county):
    """The watch itself works: an inline script added to a page is refused and seen."""
    console = watch(page)
    page.goto(live_server.url + reverse("login"))
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert page.evaluate("window.__cspViolations"), console
