from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from hazards.models import OPEN_STATUSES, DeadlineExtension, ExtensionStatus, Hazard, HazardStatus
from safetyportal.accounts.models import Role

register = template.Library()


@register.inclusion_tag("hazards/_todo_card.html", takes_context=True)
def hazard_todo(context):
    """The home page's 待办 card: what the user's hazards need next (one or two queries)."""
    user = context["request"].user
    today = timezone.localdate()
    figures = Hazard.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        submitted=Count("pk", filter=Q(status=HazardStatus.SUBMITTED)),
        rectifying=Count("pk", filter=Q(status=HazardStatus.RECTIFYING)),
        determined=Count("pk", filter=Q(status=HazardStatus.DETERMINED)),
        major_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, hazard_class="major")),
    )
    if user.role == Role.COUNTY_OFFICE:
        figures["extensions"] = DeadlineExtension.objects.filter(
            status=ExtensionStatus.PENDING
        ).count()
    return {"figures": figures, "role": user.role, "Role": Role}
