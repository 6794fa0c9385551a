"""Reads of the inspection pages, each in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Prefetch, Q

from enforcement.inspections.models import (
    ChecklistItem,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionAnswer,
)
from enforcement.permissions import get_inspection_for_user, unfollowed_scope
from responsibilities.models import Organisation
from safetyportal.core.figures import kept, sql_key, touch, watch

# 只检查不执法's per-unit summary depends on these columns of the inspections
UNFOLLOWED_TOPIC = "inspections.unfollowed"
watch(
    UNFOLLOWED_TOPIC,
    Inspection,
    fields=("status", "inspected_on", "unit", "finding_count", "followed_up"),
)


def touch_unfollowed() -> None:
    """After a QuerySet.update of an inspection's finding_count or followed_up (no signal):
    the kept summary is recomputed on its next read after the commit."""
    touch(UNFOLLOWED_TOPIC)


def inspection_for_detail(user, pk) -> Inspection:
    """The inspection with what its page shows, in a constant number of queries."""
    inspection = get_inspection_for_user(user, pk)
    # the door decided; now the page's rows
    return (
        Inspection.objects.filter(pk=inspection.pk)
        .select_related("unit", "enterprise", "town", "checklist", "plan_target", "created_by")
        .prefetch_related(
            "officers",
            "joint_units",
            Prefetch("answers", queryset=InspectionAnswer.objects.order_by("item_id")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related(
                    "hazard", "checklist_item"
                ).prefetch_related(
                    Prefetch("photos", queryset=FindingPhoto.objects.order_by("id"))
                ),
            ),
        )
        .get()
    )


def checklist_rows(inspection: Inspection) -> list[tuple[ChecklistItem, object]]:
    """Each item of the inspection's checklist with its answer (or None)."""
    if inspection.checklist_id is None:
        return []
    answers = {a.item_id: a for a in inspection.answers.all()}
    items = ChecklistItem.objects.filter(template_id=inspection.checklist_id).order_by("order")
    return [(item, answers.get(item.pk)) for item in items]


def _in_year(year: int | None) -> Q:
    if year is None:
        return Q()
    return Q(
        inspected_on__gte=datetime.date(year, 1, 1), inspected_on__lte=datetime.date(year, 12, 31)
    )


def unfollowed(user, year: int | None = None):
    """只检查不执法: submitted inspections with findings that led to neither a hazard nor a
    case, of the units `user` sees, inspected in `year` (all years when None). A unit's
    list reads the partial index inspection_unfollowed, the county's inspection_date."""
    return (
        Inspection.objects.filter(unfollowed_scope(user))
        .filter(_in_year(year), status="submitted", finding_count__gt=0, followed_up=False)
        .select_related("unit", "enterprise", "town")
        .order_by("-inspected_on", "-id")
    )


def unfollowed_by_unit(user, year: int | None = None) -> list[dict]:
    """Per unit: inspections submitted in `year` (all years when None), with findings, and
    只检查不执法 (no follow-up). One aggregate, kept (ADR 0017) until an inspection's counted
    columns change: every save through the model, and `touch_unfollowed()` after the
    services' QuerySet.update of finding_count / followed_up."""
    base = Inspection.objects.filter(unfollowed_scope(user)).filter(
        _in_year(year), status="submitted"
    )
    counted = (
        base.values("unit_id")
        .annotate(
            total=Count("id"),
            with_findings=Count("id", filter=Q(finding_count__gt=0)),
            unfollowed=Count("id", filter=Q(finding_count__gt=0, followed_up=False)),
        )
        .order_by("unit_id")
    )
    # a county's year is ~100,000 inspections at a city's size: kept until one changes
    try:
        key = sql_key(counted)
    except EmptyResultSet:  # a scope that matches nothing: nothing to keep
        key = None
    rows = (
        list(counted)
        if key is None
        else kept(
            "inspections.unfollowed_by_unit",
            topics=(UNFOLLOWED_TOPIC,),
            scope=(key,),
            compute=lambda: list(counted),
        )
    )
    names = dict(Organisation.objects.values_list("pk", "name"))
    result = [{**row, "unit": names.get(row["unit_id"], "")} for row in rows]
    result.sort(key=lambda r: (-r["unfollowed"], r["unit"]))
    return result
