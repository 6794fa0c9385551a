"""The hazards app's home-page card (see safetyportal/core/cards.py): 隐患待办.

Its figures are kept (safetyportal/core/figures.py, ADR 0017): computed by one aggregate
over the open hazards (every figure counts open ones only, so the partial index
hazard_open_figures_idx covers the query) and kept per scope until a hazard, an
extension, a slip or the registry changes (the `watch` lines below; the registry's in
enterprises/cards.py).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hazards.filters import STAGES
from hazards.models import (
    OPEN_STATUSES,
    AssignmentSlip,
    DeadlineExtension,
    ExtensionStatus,
    Hazard,
    HazardStatus,
)
from hazards.permissions import CARD_AUDIENCES, assigns_hazards, is_enterprise_user
from safetyportal.core.cards import Card, register
from safetyportal.core.figures import kept, sql_key, watch

# what the figures count: hazards and their extensions and slips, and the registry and
# supervision map that decide a department's or a town's scope
TOPICS = ("hazards", "enterprises")


def todo_figures(visible: QuerySet[Hazard], *, assigns: bool) -> dict:
    """The card's figures over `visible`, the hazards the user sees (one aggregate, one
    more count for those who assign)."""
    today = timezone.localdate()
    # Count("status"): a column of the index (never null), so the rows are counted from
    # the index alone; Count("pk") would read each row for its id
    figures = visible.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("status"),
        overdue=Count("status", filter=Q(deadline__lt=today)),
        submitted=Count("status", filter=Q(status=HazardStatus.SUBMITTED)),
        to_rectify=Count("status", filter=Q(status__in=STAGES["to_rectify"])),
        determined=Count("status", filter=Q(status=HazardStatus.DETERMINED)),
        major_open=Count("status", filter=Q(hazard_class="major")),
    )
    if assigns:
        # hazards awaiting a decision on an extension (the list's pending_extension
        # filter: in any status the user sees)
        pending = DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING)
        figures["extensions"] = visible.filter(pk__in=pending.values("hazard_id")).count()
    return figures


def todo(user) -> dict:
    """What the user's hazards need next."""
    assigns = assigns_hazards(user)
    visible = Hazard.objects.visible_to(user)
    figures = kept(
        "hazards.todo",
        topics=TOPICS,
        # the scope's SQL names the user's town, department or enterprise; today's date
        # decides what is overdue
        scope=(sql_key(visible), str(timezone.localdate()), str(assigns)),
        compute=lambda: todo_figures(visible, assigns=assigns),
    )
    # the enterprise sees its own rectification work; the others what waits for verification
    return {"figures": figures, "own_enterprise": is_enterprise_user(user), "assigns": assigns}


# the columns the figures and the scopes read; a save naming only others (the escalation
# level, the rectification note...) changes no figure
watch("hazards", Hazard, fields=("status", "deadline", "hazard_class", "town", "enterprise"))
watch("hazards", DeadlineExtension, fields=("status", "hazard"))
watch("hazards", AssignmentSlip, fields=("supervising_unit", "hazard"))

register(
    Card(
        key="hazards.todo",
        roles=CARD_AUDIENCES["todo"],
        order=60,
        template="hazards/_todo_card.html",
        context=todo,
    )
)
