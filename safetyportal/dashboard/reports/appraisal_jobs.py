"""The year-end appraisal reports job (issue 12 item 1): every published unit's report and
the county summary of last year's round, each generated once (ADR 0047).

Run on 1 February and again on the 1st of the following months (a round is often
published in spring); a report already stored, queued or running is left alone, a failed
one is queued again, so each run only adds what is missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from responsibilities.appraisal_models import (
    AppraisalResult,
    AppraisalRound,
    ResultStatus,
    RoundStatus,
)
from responsibilities.report_kinds import APPRAISAL_COUNTY, APPRAISAL_UNIT
from safetyportal.core.reports import year_period
from safetyportal.dashboard.reports.jobs import ensure_report


def generate_appraisal_reports(*, enqueue: Callable, today: datetime.date | None = None) -> int:
    """Queue the missing appraisal reports of last year (`enqueue(report)`: the task's
    queue_build); how many were queued."""
    today = today or timezone.localdate()
    year = today.year - 1
    round_ = AppraisalRound.objects.filter(year=year).first()
    if round_ is None:
        return 0
    start, end, label = year_period(year)
    published = AppraisalResult.objects.filter(
        round=round_, status=ResultStatus.PUBLISHED
    ).select_related("unit")
    queued = 0
    for result in published.order_by("unit__kind", "unit__sort_order", "unit__code"):
        report = ensure_report(
            kind=APPRAISAL_UNIT,
            unit=result.unit,
            period_start=start,
            period_end=end,
            period_label=label,
            enqueue=enqueue,
        )
        queued += report is not None
    # the summary once the round is published: before, it would be a picture of a draft
    if round_.status == RoundStatus.PUBLISHED:
        report = ensure_report(
            kind=APPRAISAL_COUNTY,
            unit=None,
            period_start=start,
            period_end=end,
            period_label=label,
            enqueue=enqueue,
        )
        queued += report is not None
    return queued
