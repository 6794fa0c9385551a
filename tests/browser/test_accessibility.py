"""Contrast and accessible names (issue 8 item 21): WCAG AA asks 4.5:1 for normal text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safetyportal.notifications.models import Notification
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the element's text colour and the background colours from it up to the page, as
# [r, g, b, a] lists, so the contrast can be worked out with the transparency resolved
COLOURS = """element => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] === 1) break;
  }
  return {text: parse(getComputedStyle(element).color), layers: layers};
}"""


def _over(top, bottom):
    alpha = top[3]
    return [top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)] + [1]


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(locator) -> float:
    colours = locator.evaluate(COLOURS)
    background = [255, 255, 255, 1]
    for layer in reversed(colours["layers"]):
        background = _over(layer, background)
    text = _over(colours["text"], background)
    light, dark = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_navigation_and_card_header_links_reach_4_5_to_1(live_server, page, county, county_officer):
    log_in(page, live_server.url, "county_officer", PASSWORD)
    nav_links = page.get_by_role("navigation", name="主导航").locator(".nav-link")
    assert nav_links.count() >= 3
    for index in range(nav_links.count()):
        link = nav_links.nth(index)
        assert contrast(link) >= 4.5, link.inner_text()
    header_links = page.locator(".card-header a:not(.btn)")
    assert header_links.count() >= 1
    for index in range(header_links.count()):
        link = header_links.nth(index)
        assert contrast(link) >= 4.5, link.inner_text()


def test_the_bell_says_how_many_notifications_are_unread(live_server, page, county, county_officer):
    for n in range(3):
        Notification.objects.create(
            recipient=county_officer, title=f"通知{n}", body="正文", url="/"
        )
    log_in(page, live_server.url, "county_officer", PASSWORD)
    expect(page.get_by_role("link", name="通知（3条未读）", exact=True)).to_be_visible()
