"""Figures of whistleblower reports, in SQL (one aggregate query each, no identities):
per month and per unit, and the appraisal indicator "reports handled within the deadline"
(`handled_within_deadline`, for the year-end appraisal to plug in)."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from enforcement.reports.models import Report, ReportStatus, RewardStatus

# a report is handled within the deadline when it was verified by its (extended) verify
# date and its reporter was told by the feedback date
ON_TIME = Q(verified_on__lte=F("verify_due"), feedback_on__lte=F("feedback_due"))
SUBSTANTIATED = Q(outcome__in=["substantiated", "partly"])
COUNTED = ~Q(status__in=[ReportStatus.REJECTED, ReportStatus.MERGED])


def late_condition(snapshot: datetime.date) -> Q:
    """Late as seen on `snapshot`: a deadline passed before the step was done."""
    return (
        Q(verified_on__gt=F("verify_due"))
        | Q(verified_on__isnull=True, verify_due__lt=snapshot)
        | Q(feedback_on__gt=F("feedback_due"))
        | Q(verified_on__isnull=False, feedback_on__isnull=True, feedback_due__lt=snapshot)
    )


class DeadlineFigures(NamedTuple):
    accepted: int  # accepted within the period and counted (not rejected, not merged)
    on_time: int  # verified and fed back within the deadlines
    late: int
    pending: int  # still within its deadlines on the snapshot date
    late_ids: list[int]


def handled_within_deadline(
    unit_id: int | None, start: datetime.date, end: datetime.date, snapshot: datetime.date
) -> DeadlineFigures:
    """The appraisal indicator for one unit (None: the county) and one period: of the
    reports accepted in [start, end] and handled by the unit, how many were handled within
    the deadlines, how many late (with their ids), as seen on `snapshot`. Two queries."""
    rows = Report.objects.filter(COUNTED, accepted_on__gte=start, accepted_on__lte=end)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    late = late_condition(snapshot)
    figures = rows.aggregate(
        accepted=Count("pk"),
        on_time=Count("pk", filter=ON_TIME),
        late=Count("pk", filter=late),
    )
    late_ids = list(rows.filter(late).order_by("pk").values_list("pk", flat=True))
    return DeadlineFigures(
        accepted=figures["accepted"],
        on_time=figures["on_time"],
        late=figures["late"],
        pending=figures["accepted"] - figures["on_time"] - figures["late"],
        late_ids=late_ids,
    )


def _figures(rows):
    return {
        "received": Count("pk"),
        "handled_on_time": Count("pk", filter=ON_TIME & COUNTED),
        "substantiated": Count("pk", filter=SUBSTANTIATED),
        "rewards_paid": Count("reward", filter=Q(reward__status=RewardStatus.PAID)),
        "rewards_amount": Sum("reward__amount", filter=Q(reward__status=RewardStatus.PAID)),
    }


def by_month(queryset, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per month of receipt: received, handled on time, substantiated, rewards paid."""
    rows = queryset.filter(received_on__gte=start, received_on__lte=end)
    return list(
        rows.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(**_figures(rows))
        .order_by("month")
    )


def by_unit(queryset, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per handling unit, the same figures."""
    rows = queryset.filter(received_on__gte=start, received_on__lte=end)
    return list(
        rows.values("unit_id", "unit__name")
        .annotate(**_figures(rows))
        .order_by("unit__name", "unit_id")
    )
