"""Read-side queries: the risk summary and the repeat-offender flag."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from hazards.models import OPEN_STATUSES, Hazard, HazardClass, RiskBand

# 安全生产法 Art. 113(1): 3 penalties within 180 days or 4 within one year
REPEAT_RULES = ((3, 180), (4, 365))


def band_case(bands: list[RiskBand]) -> Case:
    """A SQL CASE giving each risk point's band code from its stored D score."""
    whens = [
        When(
            Q(score__gt=band.min_score) if band.min_exclusive else Q(score__gte=band.min_score),
            then=Value(band.code),
        )
        for band in bands
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def risk_summary(points, group_by: str) -> tuple[list[RiskBand], list[dict]]:
    """Counts per colour band, grouped by `group_by` ("enterprise__name" or
    "enterprise__town__name"): ([bands], [{"name": ..., "counts": [n per band], "total": n}]).
    Two queries whatever the number of points."""
    bands = list(RiskBand.objects.order_by("-min_score"))
    rows = (
        points.annotate(band=band_case(bands))
        .values(group_by, "band")
        .annotate(n=Count("pk"))
        .order_by(group_by)
    )
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        grouped[row[group_by]][row["band"]] = row["n"]
    summary = [
        {
            "name": name,
            "counts": [counts.get(band.code, 0) for band in bands],
            "total": sum(counts.values()),
        }
        for name, counts in grouped.items()
    ]
    return bands, summary


def is_repeat_offender(
    penalty_dates: Iterable[datetime.date], today: datetime.date | None = None
) -> bool:
    """True when the dates hold 3 within the 180 days ending `today` or 4 within the 365
    days ending `today` (default: the local date). Older penalties, however close together,
    do not count: the flag is about the enterprise now."""
    today = today or timezone.localdate()
    ages = [(today - day).days for day in penalty_dates]
    return any(sum(1 for age in ages if 0 <= age < days) >= count for count, days in REPEAT_RULES)


def repeat_offenders(
    penalties: Iterable[tuple[int, datetime.date]],
    today: datetime.date | None = None,
) -> set[int]:
    """Enterprises to flag for the closure proposal (安全生产法 Art. 113(1)).

    Contract for the enforcement app: pass an iterable of (enterprise_id, penalty_date)
    pairs, one per administrative penalty decided (e.g.
    `Penalty.objects.values_list("enterprise_id", "decided_on")`). Returns the ids of
    enterprises that have an open major hazard *and* 3 penalties within the 180 days or 4
    within the 365 days ending `today` (default: the local date). One query.
    """
    today = today or timezone.localdate()
    by_enterprise: dict[int, list[datetime.date]] = defaultdict(list)
    for enterprise_id, day in penalties:
        by_enterprise[enterprise_id].append(day)
    candidates = {eid for eid, dates in by_enterprise.items() if is_repeat_offender(dates, today)}
    if not candidates:
        return set()
    with_major = Hazard.objects.filter(
        enterprise_id__in=candidates,
        hazard_class=HazardClass.MAJOR,
        status__in=OPEN_STATUSES,
    ).values_list("enterprise_id", flat=True)
    return set(with_major)
