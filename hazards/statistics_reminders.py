"""Reminders of the enterprises' hazard statistics (16号令 Art. 14, domain-notes §2.2): a
written table of the quarter's hazard work, signed by the 主要负责人, by the 15th day of the
next quarter, and the year's by 31 January. The portal does not collect the tables: it
reminds every operating enterprise's accounts in the REMIND_DAYS before each due date,
once per period (the dedupe key names it), in one notify_bulk call."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, EnterpriseStatus
from enterprises.permissions import manager_accounts
from safetyportal.notifications.services import Notice, notify_bulk

REMIND_DAYS = 7
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


class Due(NamedTuple):
    key: str
    title: str
    due_on: datetime.date


def quarterly_due_on(year: int, quarter: int) -> datetime.date:
    """The 15th of the first month of the next quarter."""
    if quarter == 4:
        return datetime.date(year + 1, 1, 15)
    return datetime.date(year, quarter * 3 + 1, 15)


def annual_due_on(year: int) -> datetime.date:
    return datetime.date(year + 1, 1, 31)


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def statistics_due(today: datetime.date) -> list[Due]:
    """The statistics whose due date falls within REMIND_DAYS from `today` (inclusive)."""
    quarter = (today.month - 1) // 3 + 1
    year, previous = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    candidates = [
        Due(
            f"hazard-statistics:{year}Q{previous}",
            _("请于%(due)s前报送%(year)s年%(quarter)s隐患排查治理统计分析表")
            % {
                "due": _day(quarterly_due_on(year, previous)),
                "year": year,
                "quarter": QUARTER_NAMES[previous],
            },
            quarterly_due_on(year, previous),
        ),
        Due(
            f"hazard-statistics:{today.year - 1}:annual",
            _("请于%(due)s前报送%(year)s年度隐患排查治理统计分析表")
            % {"due": _day(annual_due_on(today.year - 1)), "year": today.year - 1},
            annual_due_on(today.year - 1),
        ),
    ]
    return [due for due in candidates if 0 <= (due.due_on - today).days <= REMIND_DAYS]


def send_statistics_reminders(today: datetime.date) -> int:
    """Remind the operating enterprises' accounts of the statistics due soon; the count of
    new notices (none on a second run)."""
    due = statistics_due(today)
    if not due:
        return 0
    operating = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).values("pk")
    url = reverse("hazards:list")
    body = _("统计分析表须经主要负责人签字，按季度和年度报送负有安全生产监督管理职责的部门。")
    accounts = list(manager_accounts(operating).only("pk", "is_active", "email", "email_frequency"))
    with transaction.atomic():
        return notify_bulk(
            Notice(
                recipient=user,
                title=item.title,
                body=body,
                url=url,
                dedupe_key=item.key,
                kind="hazard_statistics",
            )
            for item in due
            for user in accounts
        )
