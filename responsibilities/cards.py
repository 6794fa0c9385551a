"""The responsibilities app's home-page cards (see safetyportal/core/cards.py)."""

from __future__ import annotations

from django.utils import timezone

from responsibilities.models import (
    Industry,
    SafetyReminder,
    SupervisionAssignment,
    SupervisionMap,
)
from responsibilities.permissions import CARD_AUDIENCES
from safetyportal.core.cards import Card, register
from safetyportal.core.figures import kept, watch

# what the department's card shows: the current map's assignments and their industries
watch("supervision", SupervisionMap)
watch("supervision", SupervisionAssignment)
watch("supervision", Industry)


def enforcement_powers(user) -> dict:
    return {"organisation": user.organisation}


def latest_reminder(user) -> dict:
    return {"latest_reminder": SafetyReminder.objects.order_by("-published_at").first()}


def department_assignments(user) -> dict:
    """The industries the user's department supervises under the current map (kept per
    department and day until the map, its assignments or the industries change)."""
    return kept(
        "responsibilities.department_assignments",
        topics=("supervision",),
        scope=(str(user.organisation_id), str(timezone.localdate())),
        compute=lambda: _department_assignments(user.organisation_id),
    )


def _department_assignments(department_id) -> dict:
    current = SupervisionMap.objects.current()
    return {
        "assignments": (
            list(
                SupervisionAssignment.objects.filter(
                    supervision_map=current, department_id=department_id
                ).select_related("industry")
            )
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
