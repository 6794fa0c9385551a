"""Every write to inspection plans and pairings: keyword-only, atomic, audited.

The inspections area calls `mark_target_done` when an inspection naming a plan target is
submitted, and the inspection form offers `open_targets_for(user, enterprise_id)` as the
"plan item" choices (else the inspection is ad hoc).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from enforcement.permissions import acting_unit_id
from enforcement.plans.models import PlanTarget


def mark_target_done(*, target_id: int, day: datetime.date) -> bool:
    """Record that the target was fulfilled on `day`. Idempotent and keeps the earliest
    date: one conditional UPDATE, so two inspections submitted at once cannot race. Call it
    inside the inspection's transaction (its audit event records the change). Returns
    whether the date changed."""
    changed = (
        PlanTarget.objects.filter(pk=target_id)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=day))
        .update(done_on=day)
    )
    return bool(changed)


def open_targets_for(user, enterprise_id: int) -> QuerySet[PlanTarget]:
    """The targets of `user`'s unit for that enterprise not yet done, the latest plan year
    first and then by month: what an inspection may fulfil."""
    unit_id = acting_unit_id(user)
    if unit_id is None:
        return PlanTarget.objects.none()
    return (
        PlanTarget.objects.filter(
            plan__unit_id=unit_id, enterprise_id=enterprise_id, done_on__isnull=True
        )
        .select_related("plan", "assigned_to")
        .order_by("-plan__year", "month", "id")
    )
