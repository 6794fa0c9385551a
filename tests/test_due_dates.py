"""The shared due-date display (portal_tags.due_date / days_overdue): a date in the past
reads as overdue with its days, the day itself as due today, a later date plainly."""

from __future__ import annotations

import datetime

from django.template import Context, Template
from django.utils import timezone


def render(value) -> str:
    return Template("{% load portal_tags %}{% due_date value %}|{{ value|days_overdue }}").render(
        Context({"value": value})
    )


def test_yesterday_is_overdue_by_one_day():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    html = render(yesterday)
    assert f"{yesterday:%Y-%m-%d}" in html
    assert "逾期1天" in html and 'data-due="overdue"' in html
    assert html.endswith("|1")


def test_today_is_due_today_and_tomorrow_is_plain():
    today = timezone.localdate()
    assert "今日到期" in render(today) and render(today).endswith("|0")
    tomorrow = today + datetime.timedelta(days=1)
    assert render(tomorrow) == f"{tomorrow:%Y-%m-%d}|0"


def test_empty_value_renders_nothing():
    assert render(None) == "|0"
