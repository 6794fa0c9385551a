"""The responsibilities app's home-page cards (see safetyportal/core/cards.py)."""

from __future__ import annotations

from responsibilities.models import (
    SafetyReminder,
    SupervisionAssignment,
    SupervisionMap,
)
from responsibilities.permissions import CARD_AUDIENCES
from safetyportal.core.cards import Card, register


def enforcement_powers(user) -> dict:
    return {"organisation": user.organisation}


def latest_reminder(user) -> dict:
    return {"latest_reminder": SafetyReminder.objects.order_by("-published_at").first()}


def department_assignments(user) -> dict:
    """The industries the user's department supervises under the current map."""
    current = SupervisionMap.objects.current()
    return {
        "assignments": (
            SupervisionAssignment.objects.filter(
                supervision_map=current, department_id=user.organisation_id
            ).select_related("industry")
            if current
            else []
        ),
        "supervision_map": current,
    }


register(
    Card(
        key="responsibilities.enforcement_powers",
        roles=CARD_AUDIENCES["enforcement_powers"],
        order=20,
        slot="figure",
        template="responsibilities/cards/enforcement_powers.html",
        context=enforcement_powers,
    )
)
register(
    Card(
        key="responsibilities.latest_reminder",
        roles=CARD_AUDIENCES["latest_reminder"],
        order=51,
        slot="half",
        template="responsibilities/cards/latest_reminder.html",
        context=latest_reminder,
    )
)
register(
    Card(
        key="responsibilities.department_assignments",
        roles=CARD_AUDIENCES["department_assignments"],
        order=80,
        template="responsibilities/cards/department_assignments.html",
        context=department_assignments,
    )
)
