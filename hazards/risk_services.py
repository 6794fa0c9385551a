"""Writes to the risk register: keyword-only, atomic, audited."""

from __future__ import annotations

from django.db import transaction

from hazards.permissions import refusal
from hazards.risk_models import RiskPoint
from safetyportal.audit.services import record_event, snapshot
from safetyportal.workflow import StepForbidden

RISK_FIELDS = [
    "name",
    "hazard_factors",
    "likelihood",
    "exposure",
    "consequence",
    "control_measures",
    "responsible_person",
    "check_frequency",
]


@transaction.atomic
def save_risk_point(*, actor, enterprise, point: RiskPoint | None = None, **fields) -> RiskPoint:
    """Create or change a risk point; D is computed from L, E and C."""
    reason = refusal(actor, enterprise, "edit_risk_points")
    if reason:
        raise StepForbidden(reason)
    creating = point is None
    if creating:
        point = RiskPoint(enterprise=enterprise)
    else:
        point = RiskPoint.objects.select_for_update().get(pk=point.pk, enterprise=enterprise)
    before = snapshot(point, RISK_FIELDS) if not creating else {}
    for name, value in fields.items():
        setattr(point, name, value)
    point.compute_score()
    point.full_clean()
    point.save()
    after = snapshot(point, RISK_FIELDS)
    record_event(
        actor=actor,
        verb="risk_point.created" if creating else "risk_point.updated",
        target=point,
        payload={"values": after}
        if creating
        else {"changes": {k: [before[k], after[k]] for k in before if before[k] != after[k]}},
    )
    return point
