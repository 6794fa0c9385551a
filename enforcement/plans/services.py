"""STAND-IN for the plans area (branch `insp`): the two functions the inspections service
calls, with the names and signatures agreed in the brief. The plans branch provides the
real module; on merge, take the plans branch's file."""

from __future__ import annotations

import datetime

from enforcement.plans.models import PlanTarget


def mark_target_done(*, target_id: int, day: datetime.date) -> None:
    """The target is fulfilled on `day` (the first inspection that names it counts)."""
    PlanTarget.objects.filter(pk=target_id, done_on__isnull=True).update(done_on=day)


def open_targets_for(user, enterprise_id: int):
    """The plan targets of `user`'s unit on `enterprise_id` not yet done."""
    return (
        PlanTarget.objects.filter(
            plan__unit_id=user.organisation_id, enterprise_id=enterprise_id, done_on__isnull=True
        )
        .select_related("plan")
        .order_by("month", "id")
    )
