"""The demo's reports: the last two half-monthly major-hazard bulletins, drafted and issued
by the county office (numbered 澧安办通〔year〕n号 in order), their PDFs queued as the page
would queue them (the demo's worker renders them in ~10 s each). Without a reachable
broker they are rendered here instead (~18 s for both on the dev machine), so the list
never shows a failed demo report. Safe to run twice: an issued bulletin is left alone."""

from __future__ import annotations

import datetime
import time

from django.utils import timezone

from safetyportal.accounts.models import Role, User
from safetyportal.core.reports import last_half_month
from safetyportal.dashboard.models import Report, ReportStatus
from safetyportal.dashboard.reports import jobs, services


def _half_months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """A day inside each of the `count` half months before `today`'s, oldest first: the
    day after each period's end, so `last_half_month(day)` is that period."""
    days, day = [], today
    for _ in range(count):
        start, _end, _label = last_half_month(day)
        days.append(day)
        day = start
    return days[::-1]


def load_reports_demo(stdout, *, today: datetime.date | None = None) -> list:
    today = today or timezone.localdate()
    office = User.objects.filter(role=Role.COUNTY_OFFICE, is_active=True).order_by("pk").first()
    if office is None:
        return []
    began = time.monotonic()
    issued = []
    for day in _half_months_back(today, 2):
        report = jobs.draft_bulletin(today=day)
        if report is None:
            continue
        if report.status == ReportStatus.DRAFT:
            report = services.issue_report(actor=office, report_id=report.pk)
            report.refresh_from_db()
            if report.status == ReportStatus.FAILED:  # the broker is unreachable: render now
                Report.objects.filter(pk=report.pk).update(status=ReportStatus.PENDING, error="")
                jobs.build_report(report.pk)
                report.refresh_from_db()
        issued.append(report)
    stdout.write(
        "演示通报："
        + "；".join(f"{r.number or r.title}（{r.get_status_display()}）" for r in issued)
        + f"，用时 {time.monotonic() - began:.1f} 秒。"
    )
    return issued
