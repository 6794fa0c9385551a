"""The hazards app's home-page card (see safetyportal/core/cards.py): 隐患待办."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from hazards.filters import STAGES
from hazards.models import OPEN_STATUSES, DeadlineExtension, ExtensionStatus, Hazard, HazardStatus
from hazards.permissions import CARD_AUDIENCES, assigns_hazards, is_enterprise_user
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
    assigns = assigns_hazards(user)
    if assigns:
        # hazards awaiting a decision on an extension (the list's pending_extension filter)
        pending = DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING)
        figures["extensions"] = (
            Hazard.objects.visible_to(user).filter(pk__in=pending.values("hazard_id")).count()
        )
    # the enterprise sees its own rectification work; the others what waits for verification
    return {"figures": figures, "own_enterprise": is_enterprise_user(user), "assigns": assigns}


register(
    Card(
        key="hazards.todo",
        roles=CARD_AUDIENCES["todo"],
        order=60,
        template="hazards/_todo_card.html",
        context=todo,
    )
)
