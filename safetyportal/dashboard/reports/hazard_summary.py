"""隐患排查治理报告: a town's (or the county's) hazards found in a year, how many were
rectified, by month and by town or industry, and the major hazards found. A stored report
kind that exercises the report machinery until the appraisal reports arrive."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.models import OPEN_STATUSES, HazardClass, HazardStatus
from hazards.models import Hazard as HazardModel
from safetyportal.dashboard.reports.charts import bars


def _rate(closed: int, found: int) -> float:
    return round(100 * closed / found, 1) if found else 0.0


def context(*, unit, period_start, period_end, content, progress) -> dict:
    today = timezone.localdate()
    hazards = HazardModel.objects.exclude(status=HazardStatus.VOIDED).filter(
        found_on__range=(period_start, period_end)
    )
    if unit is not None:
        hazards = hazards.filter(town=unit)
    closed = Q(status=HazardStatus.CLOSED)
    major = Q(hazard_class=HazardClass.MAJOR)
    overdue = Q(status__in=OPEN_STATUSES, deadline__lt=today)
    progress(15, _("统计隐患总数"))
    totals = hazards.aggregate(
        found=Count("pk"),
        closed=Count("pk", filter=closed),
        major=Count("pk", filter=major),
        major_closed=Count("pk", filter=major & closed),
        overdue=Count("pk", filter=overdue),
    )
    totals["rate"] = _rate(totals["closed"], totals["found"])
    totals["major_rate"] = _rate(totals["major_closed"], totals["major"])
    progress(30, _("按月统计"))
    months: dict[int, Any] = {
        row["month"]: row
        for row in hazards.annotate(month=ExtractMonth("found_on"))
        .values("month")
        .annotate(found=Count("pk"), closed=Count("pk", filter=closed))
    }
    monthly = [
        (
            _("%(month)s月") % {"month": m},
            months.get(m, {}).get("found", 0),
            months.get(m, {}).get("closed", 0),
        )
        for m in range(period_start.month, period_end.month + 1)
    ]
    progress(45, _("按镇街或行业统计"))
    group = "industry__name" if unit is not None else "town__name"
    breakdown = [
        {**row, "name": row[group], "rate": _rate(row["closed"], row["found"])}
        for row in hazards.values(group)
        .annotate(
            found=Count("pk"),
            closed=Count("pk", filter=closed),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("-found", group)
    ]
    progress(60, _("列出重大事故隐患"))
    statuses = {value: str(label) for value, label in HazardStatus.choices}
    majors = [
        {**row, "status": statuses.get(row["status"], row["status"])}
        for row in hazards.filter(major)
        .order_by("found_on", "pk")
        .values(
            "pk",
            "listing__list_number",
            "enterprise__name",
            "town__name",
            "description",
            "found_on",
            "deadline",
            "status",
            "closed_on",
        )
    ]
    return {
        "unit_name": unit.name if unit is not None else _("全县"),
        "by_industry": unit is not None,
        "totals": totals,
        "monthly": monthly,
        "monthly_chart": bars(monthly),
        "breakdown": breakdown,
        "majors": majors,
        "today": today,
    }


def title(*, unit, period_label: str) -> str:
    return _("%(period)s%(unit)s隐患排查治理报告") % {
        "period": period_label,
        "unit": unit.name if unit is not None else _("全县"),
    }
