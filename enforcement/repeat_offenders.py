"""Repeat offenders (屡罚不改): the penalties of enforcement/cases fed to the hazards app's
flag (hazards.selectors.repeat_offenders, 安全生产法 Art. 113(1)).

What counts as a penalty: every case with a decision (decided_on set) whose penalty is a
warning or a fine. Art. 113(1) counts "受到本法规定的行政处罚" and a warning is an
administrative penalty like a fine (行政处罚法 Art. 9(1)), so both count; a case that
never reached a decision does not. The count is about the enterprise, whoever punished
it: every unit's cases count, not only the viewer's.

The thresholds are hazards.selectors.REPEAT_RULES (3 within the 180 days, 4 within the
365 days ending today, today counted). The county list and the counts are one SQL
aggregate over the 365-day window, computed ONCE per request (`flagged_counts`): the list's
count, its page and the counts shown all come from that dict, and the closure proposal
reads only the page's enterprises' penalties (the (enterprise, decided_on) index); the
hazards selector then adds its own condition (an open major hazard) for the closure
proposal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from enforcement.cases.models import Case, PenaltyKind
from enforcement.permissions import sees_repeat_offenders
from enterprises.models import Enterprise
from hazards.selectors import REPEAT_RULES, repeat_offenders

PENALTY_KINDS = (PenaltyKind.WARNING, PenaltyKind.FINE)
# the records shown behind a flag (the counts cover them all)
RECORDS_SHOWN = 10

(RECENT_COUNT, RECENT_DAYS), (YEAR_COUNT, YEAR_DAYS) = REPEAT_RULES


@dataclass(frozen=True)
class PenaltyCount:
    recent: int  # within the 180 days ending today
    year: int  # within the 365 days ending today

    @property
    def flagged(self) -> bool:
        return self.recent >= RECENT_COUNT or self.year >= YEAR_COUNT


def penalties() -> QuerySet[Case]:
    """Every administrative penalty decided on an enterprise."""
    return Case.objects.filter(
        enterprise__isnull=False, decided_on__isnull=False, penalty_kind__in=PENALTY_KINDS
    )


def _window(today: datetime.date, days: int) -> Q:
    # hazards.selectors.is_repeat_offender: 0 <= age < days
    return Q(decided_on__gt=today - datetime.timedelta(days=days), decided_on__lte=today)


def _counted(today: datetime.date):
    return (
        penalties()
        .filter(_window(today, YEAR_DAYS))
        .order_by()
        .values("enterprise_id")
        .annotate(
            recent=Count("pk", filter=_window(today, RECENT_DAYS)),
            year=Count("pk"),
        )
    )


def penalty_counts(
    enterprise_ids: Iterable[int], today: datetime.date | None = None
) -> dict[int, PenaltyCount]:
    """The penalties of each enterprise in the two windows (one query; enterprises with
    none are absent)."""
    today = today or timezone.localdate()
    rows = _counted(today).filter(enterprise_id__in=list(enterprise_ids))
    return {r["enterprise_id"]: PenaltyCount(r["recent"], r["year"]) for r in rows}


def flagged_enterprise_ids(today: datetime.date | None = None) -> QuerySet:
    """A subquery of the enterprises over a threshold (use it in `pk__in=`)."""
    today = today or timezone.localdate()
    return (
        _counted(today)
        .filter(Q(recent__gte=RECENT_COUNT) | Q(year__gte=YEAR_COUNT))
        .values("enterprise_id")
    )


def flagged_counts(today: datetime.date | None = None) -> dict[int, PenaltyCount]:
    """Every enterprise over a threshold with its two counts: one aggregate over the
    365-day window, whatever the user (scope it with `flagged_enterprises(..., flagged=)`)."""
    today = today or timezone.localdate()
    return {
        r["enterprise_id"]: PenaltyCount(r["recent"], r["year"])
        for r in _counted(today).filter(Q(recent__gte=RECENT_COUNT) | Q(year__gte=YEAR_COUNT))
    }


def closure_among(flagged_ids: Iterable[int], today: datetime.date | None = None) -> set[int]:
    """`repeat_offender_ids` for enterprises already known to be over a threshold (e.g. a
    page of `flagged_counts`): reads only their penalties (one index range each), no
    second aggregate of the county's year. Two queries at most."""
    ids = list(flagged_ids)
    if not ids:
        return set()
    today = today or timezone.localdate()
    candidates = penalties().filter(_window(today, YEAR_DAYS), enterprise_id__in=ids)
    return repeat_offenders(candidates.values_list("enterprise_id", "decided_on"), today=today)


def repeat_offender_ids(
    enterprise_ids: Iterable[int] | None = None, today: datetime.date | None = None
) -> set[int]:
    """The hazards app's flag for the closure proposal: over a threshold *and* with an open
    major hazard (hazards.selectors.repeat_offenders). The thresholds are checked in SQL
    first, so only the few candidates' penalties reach Python (two queries)."""
    today = today or timezone.localdate()
    candidates = penalties().filter(
        _window(today, YEAR_DAYS), enterprise_id__in=flagged_enterprise_ids(today)
    )
    if enterprise_ids is not None:
        candidates = candidates.filter(enterprise_id__in=list(enterprise_ids))
    return repeat_offenders(candidates.values_list("enterprise_id", "decided_on"), today=today)


def flagged_enterprises(
    user, today: datetime.date | None = None, *, flagged: Iterable[int] | None = None
) -> QuerySet[Enterprise]:
    """The county list 屡罚不改: the enterprises `user` may see that are over a threshold.
    Pass `flagged` (the keys of `flagged_counts`) when the page has computed them already:
    the list's count and page then read the ids instead of aggregating the year again."""
    if not sees_repeat_offenders(user):
        return Enterprise.objects.none()
    among = flagged_enterprise_ids(today) if flagged is None else list(flagged)
    return (
        Enterprise.objects.visible_to(user)
        .filter(pk__in=among)
        .select_related("town")
        .order_by("town_id", "name", "id")
    )


@dataclass(frozen=True)
class OffenderFlag:
    enterprise_id: int
    count: PenaltyCount
    closure_proposal: bool  # over a threshold and an open major hazard: Art. 113(1)
    records: list  # the year's latest penalties (Case rows with their item), newest first

    @property
    def flagged(self) -> bool:
        return self.count.flagged


def penalty_record(user, enterprise_id: int | None, today: datetime.date | None = None):
    """The penalties of the last 365 days of one enterprise with its flag, for the
    enterprise file: None when `user` does not see flags or there are none. Four queries
    at most, however many penalties."""
    if enterprise_id is None or not sees_repeat_offenders(user):
        return None
    today = today or timezone.localdate()
    count = penalty_counts([enterprise_id], today).get(enterprise_id)
    if count is None:
        return None
    records = list(
        penalties()
        .filter(_window(today, YEAR_DAYS), enterprise_id=enterprise_id)
        .select_related("item")
        .order_by("-decided_on", "-id")[:RECORDS_SHOWN]
    )
    closure = count.flagged and enterprise_id in repeat_offender_ids([enterprise_id], today)
    return OffenderFlag(
        enterprise_id=enterprise_id, count=count, closure_proposal=closure, records=records
    )


def offender_flag(user, enterprise_id: int | None, today: datetime.date | None = None):
    """The flag of one enterprise where an official decides (the case form): None unless
    `user` sees flags and the enterprise is over a threshold. The case form renders
    `{% include "enforcement/_repeat_offender_flag.html" with flag=... %}` with
    `offender_flag(request.user, enterprise_id)`."""
    record = penalty_record(user, enterprise_id, today)
    return record if record is not None and record.flagged else None
