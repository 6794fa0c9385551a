"""Read-side queries: the hazard detail page and the repeat-offender flag."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from hazards.models import (
    OPEN_STATUSES,
    AccountabilityRecord,
    DeadlineExtension,
    Hazard,
    HazardAttachment,
    HazardClass,
    ProgressEntry,
    SupervisionOrder,
    Verification,
    WrittenExplanation,
)
from hazards.permissions import get_hazard_for_user

# 安全生产法 Art. 113(1): 3 penalties within 180 days or 4 within one year
REPEAT_RULES = ((3, 180), (4, 365))


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


def hazard_for_detail(user, pk) -> Hazard:
    """The hazard `pk` for its page: the hazard row selected once (with its enterprise,
    town, industry, list entry and slip), each kind of child record in one query however
    many there are. 404 when out of the user's scope."""
    hazard = get_hazard_for_user(user, pk)
    answers = hazard._meta.get_field("assessment_answers").related_model
    prefetch_related_objects(
        [hazard],
        Prefetch(
            "extensions",
            queryset=DeadlineExtension.objects.select_related("requested_by", "decided_by"),
        ),
        Prefetch("progress_entries", queryset=ProgressEntry.objects.select_related("recorded_by")),
        Prefetch("attachments", queryset=HazardAttachment.objects.all()),
        Prefetch("verifications", queryset=Verification.objects.select_related("verified_by")),
        Prefetch(
            "explanations", queryset=WrittenExplanation.objects.select_related("submitted_by")
        ),
        Prefetch("supervisions", queryset=SupervisionOrder.objects.select_related("issued_by")),
        Prefetch(
            "accountability",
            queryset=AccountabilityRecord.objects.select_related("recorded_by"),
        ),
        # a hazard raised from a failed self-assessment item links back to it
        Prefetch(
            "assessment_answers",
            queryset=answers.objects.select_related("assessment__enterprise", "assessment__period"),
        ),
    )
    return hazard
