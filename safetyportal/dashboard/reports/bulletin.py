"""The half-monthly major-hazard bulletin (重大事故隐患治理情况通报): its content for a
period, frozen when the county office issues it (docs/decisions/0037).

Sections, in the order the document gives them: the items overdue at the end of the period
(longest overdue first), the items newly listed in the period, the items closed in the
period, and the items still being rectified within their deadline. States are those at the
moment of the preview or issue; "overdue" is measured at the end of the period (a deadline
on or before the period's last day, still open), or today for a period not yet over.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.models import OPEN_STATUSES, Hazard, HazardStatus
from safetyportal.dashboard.reports.charts import bars

# the county office's document prefix: 澧(县)安(委)办通(报)
NUMBER_PREFIX = "澧安办通"

_FIELDS = (
    "pk",
    "listing__list_number",
    "listing__determined_on",
    "listing__is_supervised",
    "enterprise__name",
    "town__name",
    "industry__name",
    "location",
    "description",
    "deadline",
    "closed_on",
    "status",
    "responsible_person",
)


def _row(values: dict, as_of: datetime.date, statuses: dict) -> dict:
    deadline = values["deadline"]
    description = values["description"]
    return {
        "id": values["pk"],
        "list_number": values["listing__list_number"] or "",
        "determined_on": (values["listing__determined_on"] or "")
        and str(values["listing__determined_on"]),
        "supervised": bool(values["listing__is_supervised"]),
        "enterprise": values["enterprise__name"],
        "town": values["town__name"],
        "industry": values["industry__name"],
        "location": values["location"],
        "description": description if len(description) <= 80 else description[:79] + "…",
        "deadline": str(deadline),
        "closed_on": str(values["closed_on"] or ""),
        "status": statuses.get(values["status"], values["status"]),
        "responsible_person": values["responsible_person"],
        "days_overdue": max((as_of - deadline).days, 0),
    }


def snapshot(*, period_start: datetime.date, period_end: datetime.date, today=None) -> dict:
    """The bulletin's content (JSON): four sections, totals and the town chart's figures."""
    today = today or timezone.localdate()
    as_of = min(today, period_end + datetime.timedelta(days=1))
    statuses = {value: str(label) for value, label in HazardStatus.choices}
    majors = Hazard.objects.major().exclude(status=HazardStatus.VOIDED)
    # every row any section needs, in one query: open ones, and those listed or closed in
    # the period
    in_period = Q(listing__determined_on__range=(period_start, period_end)) | Q(
        closed_on__range=(period_start, period_end)
    )
    rows = list(
        majors.filter(Q(status__in=OPEN_STATUSES) | in_period)
        .order_by("deadline", "pk")
        .values(*_FIELDS)
    )
    overdue, still_open, new, closed = [], [], [], []
    for values in rows:
        row = _row(values, as_of, statuses)
        is_open = values["status"] in OPEN_STATUSES
        if is_open and values["deadline"] < as_of:
            overdue.append(row)
        elif is_open:
            still_open.append(row)
        determined = values["listing__determined_on"]
        if determined and period_start <= determined <= period_end:
            new.append(row)
        if (
            values["status"] == HazardStatus.CLOSED
            and values["closed_on"]
            and (period_start <= values["closed_on"] <= period_end)
        ):
            closed.append(row)
    overdue.sort(key=lambda r: (-r["days_overdue"], r["list_number"]))
    new.sort(key=lambda r: r["list_number"])
    closed.sort(key=lambda r: (r["closed_on"], r["list_number"]))
    # the figures in SQL: one aggregate for the totals, one grouped query for the chart
    # (open and overdue per town), whatever the number of hazards
    totals = majors.aggregate(
        listed=Count("pk"), closed=Count("pk", filter=Q(status=HazardStatus.CLOSED))
    )
    listed, closed_total = totals["listed"], totals["closed"]
    towns = (
        majors.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("town__name")
        .annotate(open=Count("pk"), late=Count("pk", filter=Q(deadline__lt=as_of)))
    )
    chart = sorted(
        ((t["town__name"], t["open"], t["late"]) for t in towns), key=lambda t: (-t[1], t[0])
    )
    return {
        "period_start": str(period_start),
        "period_end": str(period_end),
        "as_of": str(as_of - datetime.timedelta(days=1)),
        "overdue": overdue,
        "new": new,
        "closed": closed,
        "open": still_open,
        "towns": chart,
        "totals": {
            "listed": listed,
            "closed": closed_total,
            "open": len(overdue) + len(still_open),
            "overdue": len(overdue),
            "new": len(new),
            "closed_in_period": len(closed),
            "rate": round(100 * closed_total / listed, 1) if listed else 0,
        },
    }


def context(*, unit, period_start, period_end, content, progress) -> dict:
    """The PDF's context: the frozen content (a bulletin is rendered only once issued)."""
    progress(40, _("整理通报内容"))
    return document_context(content)


def document_context(content: dict) -> dict:
    """What the document's body needs, for the PDF and the HTML preview alike."""
    return {
        "b": content,
        "chart": bars([tuple(t) for t in content.get("towns", [])]),
        "sections": [
            ("overdue", _("一、逾期未完成整改的重大事故隐患"), content.get("overdue", [])),
            ("new", _("二、本期新增列入清单的重大事故隐患"), content.get("new", [])),
            ("closed", _("三、本期销号的重大事故隐患"), content.get("closed", [])),
            ("open", _("四、正在整改（未逾期）的重大事故隐患"), content.get("open", [])),
        ],
    }


def title(*, unit, period_label: str) -> str:
    return _("重大事故隐患治理情况通报（%(period)s）") % {"period": period_label}
