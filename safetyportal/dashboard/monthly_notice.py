"""The monthly statistics notice (月度安全生产统计): on the first of each month, the
previous month's headline figures, computed in SQL (a fixed number of queries at any
scale), told to the leaders and the county office once per month (the dedupe key names
the month). Composed here because it reads hazards and enforcement (ADR 0008)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.accidents.models import Accident
from hazards.models import Hazard, HazardClass
from safetyportal.accounts.models import Role, User
from safetyportal.notifications.services import Notice, notify_bulk


def previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the month before `today`'s."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def monthly_figures(first: datetime.date, last: datetime.date, today: datetime.date) -> dict:
    hazards = Hazard.objects.aggregate(
        found=Count("pk", filter=Q(found_on__range=(first, last))),
        closed=Count("pk", filter=Q(closed_on__range=(first, last))),
    )
    overdue_major = Hazard.objects.overdue(today).filter(hazard_class=HazardClass.MAJOR).count()
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )
    accidents = Accident.objects.filter(occurred_at__gte=start, occurred_at__lt=end).aggregate(
        count=Count("pk"), deaths=Sum("deaths")
    )
    return {
        "found": hazards["found"],
        "closed": hazards["closed"],
        "overdue_major": overdue_major,
        "accidents": accidents["count"],
        "deaths": accidents["deaths"] or 0,
    }


def send_monthly_statistics(today: datetime.date) -> int:
    """Tell the leaders and the county office last month's figures; the count of new
    notices (none on a second run in the same month)."""
    first, last = previous_month(today)
    figures = monthly_figures(first, last, today)
    title = _("%(year)s年%(month)s月安全生产统计") % {"year": first.year, "month": first.month}
    body = (
        _(
            "新发现隐患 %(found)s 项，整改销号 %(closed)s 项；目前逾期未整改重大隐患 %(overdue_major)s 项；"
            "发生生产安全事故 %(accidents)s 起，死亡 %(deaths)s 人。"
        )
        % figures
    )
    recipients = User.objects.filter(
        is_active=True, role__in=(Role.LEADER, Role.COUNTY_OFFICE)
    ).only("pk", "is_active", "email", "email_frequency")
    with transaction.atomic():
        return notify_bulk(
            Notice(
                recipient=user,
                title=title,
                body=body,
                url=reverse("home"),
                dedupe_key=f"monthly-statistics:{first:%Y-%m}",
                kind="monthly_statistics",
            )
            for user in recipients
        )
