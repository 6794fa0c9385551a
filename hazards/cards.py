"""The hazards app's home-page card (see safetyportal/core/cards.py): 隐患待办."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from hazards.filters import STAGES
from hazards.models import OPEN_STATUSES, DeadlineExtension, ExtensionStatus, Hazard, HazardStatus
from safetyportal.accounts.models import Role
from safetyportal.core.cards import Card, register


def todo(user) -> dict:
    """What the user's hazards need next (one query, two for the county office)."""
    today = timezone.localdate()
    figures = Hazard.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        submitted=Count("pk", filter=Q(status=HazardStatus.SUBMITTED)),
        to_rectify=Count("pk", filter=Q(status__in=STAGES["to_rectify"])),
        determined=Count("pk", filter=Q(status=HazardStatus.DETERMINED)),
        major_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, hazard_class="major")),
    )
    if user.role == Role.COUNTY_OFFICE:
        # hazards awaiting a decision on an extension (the list's pending_extension filter)
        pending = DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING)
        figures["extensions"] = (
            Hazard.objects.visible_to(user).filter(pk__in=pending.values("hazard_id")).count()
        )
    return {"figures": figures, "role": user.role, "Role": Role}


register(
    Card(
        key="hazards.todo",
        roles=[Role.COUNTY_OFFICE, Role.LEADER, Role.DEPARTMENT, Role.TOWN, Role.ENTERPRISE],
        order=60,
        template="hazards/_todo_card.html",
        context=todo,
    )
)
