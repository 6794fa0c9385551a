"""Every write to inspection plans and pairings: keyword-only, atomic, audited.

The inspections area calls `mark_target_done` when an inspection naming a plan target is
submitted, and the inspection form offers `open_targets_for(user, enterprise_id)` as the
"plan item" choices (else the inspection is ad hoc). Refusals raise `Forbidden` (403),
`StepNotAllowed` (409, e.g. a done target) or `ValidationError` (400) before anything is
written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.permissions import (
    acting_unit_id,
    chief_refusal,
    get_pairing_for_user,
    get_plan_for_user,
    get_plan_target_for_user,
    pairing_refusal,
    plan_refusal,
    unit_enterprise_scope,
    unit_officials,
    visit_refusal,
)
from enforcement.plans import selectors
from enforcement.plans.models import (
    GuidanceVisit,
    InspectionPlan,
    PlanTarget,
    TargetKind,
    TownPairing,
)
from enterprises.models import Enterprise
from responsibilities.models import TOWN_LEVEL_KINDS, Organisation
from safetyportal.accounts.models import User
from safetyportal.audit.services import record_event
from safetyportal.workflow.errors import StepForbidden, StepNotAllowed

MIN_YEAR, MAX_YEAR = 2020, 2100


class Forbidden(StepForbidden, PermissionDenied):
    """A refused write: 403 with the reason in pages and the API alike."""


def _require(reason: str | None) -> None:
    if reason:
        raise Forbidden(reason)


# --- for the inspections area ------------------------------------------------------------


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
    if changed:
        selectors.touch_progress()  # an update sends no signal
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


# --- plans -------------------------------------------------------------------------------


def _check_year(year) -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {"year": _("年度应在 %(low)s 至 %(high)s 之间。") % {"low": MIN_YEAR, "high": MAX_YEAR}}
        )
    return year


def _check_month(month) -> int:
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError({"month": _("计划月份应为 1 至 12 月。")})
    return month


def _check_kind(kind) -> str:
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("包保方式应为分片包保或重点包保。")})
    return kind


def _check_assignee(plan: InspectionPlan, assigned_to_id) -> User:
    assignee = unit_officials(plan.unit_id).filter(pk=assigned_to_id).first()
    if assignee is None:
        raise ValidationError({"assigned_to": _("包保人员必须是本单位的在岗执法人员。")})
    return assignee


def create_plan(*, actor, year: int, title: str = "") -> InspectionPlan:
    """The actor's unit's plan for `year` (one per unit and year)."""
    _require(plan_refusal(actor, None))
    _check_year(year)
    unit = Organisation.objects.get(pk=acting_unit_id(actor))
    title = (title or "").strip() or _("%(unit)s%(year)s年度执法检查计划") % {
        "unit": unit.short_name or unit.name,
        "year": year,
    }
    duplicate = ValidationError(
        {
            "year": _("本单位 %(year)s 年度的检查计划已经制定，请在原计划中添加检查对象。")
            % {"year": year}
        }
    )
    if InspectionPlan.objects.filter(unit=unit, year=year).exists():
        raise duplicate
    try:
        with transaction.atomic():
            plan = InspectionPlan.objects.create(
                unit=unit, year=year, title=title[:200], created_by=actor
            )
            record_event(actor=actor, verb="plan.created", target=plan, payload={"year": year})
    except IntegrityError:  # the same plan created at the same moment by a colleague
        raise duplicate from None
    return plan


def add_targets(
    *,
    actor,
    plan_id: int,
    enterprise_ids: Iterable[int],
    month: int,
    kind: str,
    assigned_to_id: int,
) -> list[PlanTarget]:
    """Plan one inspection of each enterprise in `month` (bulk add). Every enterprise must
    be in the unit's scope and not yet planned for that month; else nothing is added."""
    ids = sorted({int(pk) for pk in enterprise_ids})
    with transaction.atomic():
        plan = get_plan_for_user(actor, plan_id)
        _require(plan_refusal(actor, plan.unit_id))
        plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
        _check_month(month)
        _check_kind(kind)
        assignee = _check_assignee(plan, assigned_to_id)
        if not ids:
            raise ValidationError({"enterprises": _("请至少选择一家企业。")})
        in_scope = set(
            Enterprise.objects.filter(unit_enterprise_scope(plan.unit), pk__in=ids).values_list(
                "pk", flat=True
            )
        )
        if len(in_scope) != len(ids):
            raise ValidationError(
                {"enterprises": _("所选企业不在本单位的监管范围内，请从本单位的企业中选择。")}
            )
        planned = list(
            PlanTarget.objects.filter(plan=plan, month=month, enterprise_id__in=ids)
            .select_related("enterprise")
            .values_list("enterprise__name", flat=True)[:5]
        )
        if planned:
            raise ValidationError(
                {
                    "enterprises": _("%(names)s 已列入该月计划，请勿重复添加。")
                    % {"names": "、".join(planned)}
                }
            )
        targets = PlanTarget.objects.bulk_create(
            PlanTarget(plan=plan, enterprise_id=pk, month=month, kind=kind, assigned_to=assignee)
            for pk in ids
        )
        selectors.touch_progress()  # bulk_create sends no signal
        record_event(
            actor=actor,
            verb="plan.targets_added",
            target=plan,
            payload={"month": month, "kind": kind, "assigned_to": assignee.pk, "enterprises": ids},
        )
    return targets


def _open_target(actor, target_id: int) -> PlanTarget:
    target = get_plan_target_for_user(actor, target_id, for_update=True)
    _require(plan_refusal(actor, target.plan.unit_id))
    if target.done_on is not None:
        raise StepNotAllowed(
            _("该检查对象已于 %(day)s 完成检查，不能再修改或删除。") % {"day": target.done_on}
        )
    return target


def update_target(
    *, actor, target_id: int, month: int, kind: str, assigned_to_id: int
) -> PlanTarget:
    with transaction.atomic():
        target = _open_target(actor, target_id)
        _check_month(month)
        _check_kind(kind)
        assignee = _check_assignee(target.plan, assigned_to_id)
        if (
            month != target.month
            and PlanTarget.objects.filter(
                plan_id=target.plan_id, enterprise_id=target.enterprise_id, month=month
            ).exists()
        ):
            raise ValidationError(
                {"month": _("该企业已列入 %(month)s 月计划。") % {"month": month}}
            )
        before = {"month": target.month, "kind": target.kind, "assigned_to": target.assigned_to_id}
        target.month, target.kind, target.assigned_to = month, kind, assignee
        target.save(update_fields=["month", "kind", "assigned_to"])
        record_event(
            actor=actor,
            verb="plan.target_changed",
            target=target,
            payload={
                "before": before,
                "after": {"month": month, "kind": kind, "assigned_to": assignee.pk},
            },
        )
    return target


def remove_target(*, actor, target_id: int) -> InspectionPlan:
    """Delete a target not yet done; the event is recorded on the plan."""
    with transaction.atomic():
        target = _open_target(actor, target_id)
        plan = target.plan
        payload = {
            "enterprise": target.enterprise_id,
            "enterprise_name": target.enterprise.name,
            "month": target.month,
        }
        target.delete()
        record_event(actor=actor, verb="plan.target_removed", target=plan, payload=payload)
    return plan


# --- pairings and guidance visits --------------------------------------------------------


def _check_pairing_input(*, year, chief_id, town_id) -> tuple[User, Organisation]:
    _check_year(year)
    chief = User.objects.filter(pk=chief_id).first()
    reason = chief_refusal(chief)
    if reason:
        raise ValidationError({"chief": reason})
    town = Organisation.objects.filter(pk=town_id, kind__in=TOWN_LEVEL_KINDS).first()
    if town is None:
        raise ValidationError({"town": _("包联对象必须是镇或街道。")})
    assert chief is not None
    return chief, town


def create_pairing(*, actor, year: int, chief_id: int, town_id: int, note: str = "") -> TownPairing:
    _require(pairing_refusal(actor))
    chief, town = _check_pairing_input(year=year, chief_id=chief_id, town_id=town_id)
    duplicate = ValidationError(
        {
            "town": _("%(town)s %(year)s 年已有包联负责人，请修改原安排。")
            % {"town": town.name, "year": year}
        }
    )
    if TownPairing.objects.filter(year=year, town=town).exists():
        raise duplicate
    try:
        with transaction.atomic():
            pairing = TownPairing.objects.create(
                year=year, chief=chief, town=town, note=(note or "").strip()[:200]
            )
            record_event(
                actor=actor,
                verb="pairing.created",
                target=pairing,
                payload={"year": year, "chief": chief.pk, "town": town.pk},
            )
    except IntegrityError:
        raise duplicate from None
    return pairing


def update_pairing(*, actor, pairing_id: int, chief_id: int, note: str = "") -> TownPairing:
    """Hand the town to another chief, or change the note (the year and town stay)."""
    _require(pairing_refusal(actor))
    with transaction.atomic():
        pairing = get_pairing_for_user(actor, pairing_id, for_update=True)
        chief, _town = _check_pairing_input(
            year=pairing.year, chief_id=chief_id, town_id=pairing.town_id
        )
        before = {"chief": pairing.chief_id, "note": pairing.note}
        pairing.chief, pairing.note = chief, (note or "").strip()[:200]
        pairing.save(update_fields=["chief", "note"])
        record_event(
            actor=actor,
            verb="pairing.changed",
            target=pairing,
            payload={"before": before, "after": {"chief": chief.pk, "note": pairing.note}},
        )
    return pairing


def remove_pairing(*, actor, pairing_id: int) -> None:
    """Delete a pairing that has no visits yet (visits are the record of the work)."""
    _require(pairing_refusal(actor))
    with transaction.atomic():
        pairing = get_pairing_for_user(actor, pairing_id, for_update=True)
        if pairing.visits.exists():
            raise StepNotAllowed(_("该包联已有指导记录，不能删除；如需换人，请修改包联负责人。"))
        record_event(
            actor=actor,
            verb="pairing.removed",
            target=pairing,
            payload={"year": pairing.year, "chief": pairing.chief_id, "town": pairing.town_id},
        )
        pairing.delete()


def record_visit(
    *,
    actor,
    pairing_id: int,
    visited_on: datetime.date,
    content: str,
    issues_found: str = "",
    follow_up: str = "",
) -> GuidanceVisit:
    with transaction.atomic():
        pairing = get_pairing_for_user(actor, pairing_id)
        _require(visit_refusal(actor, pairing))
        if not isinstance(visited_on, datetime.date) or visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("指导日期不能晚于今天。")})
        if visited_on.year != pairing.year:
            raise ValidationError(
                {
                    "visited_on": _("指导日期应在包联年度（%(year)s 年）内。")
                    % {"year": pairing.year}
                }
            )
        content = (content or "").strip()
        if not content:
            raise ValidationError({"content": _("请填写指导内容。")})
        visit = GuidanceVisit.objects.create(
            pairing=pairing,
            visited_on=visited_on,
            content=content,
            issues_found=(issues_found or "").strip(),
            follow_up=(follow_up or "").strip(),
            recorded_by=actor,
        )
        record_event(
            actor=actor,
            verb="pairing.visit_recorded",
            target=visit,
            payload={"pairing": pairing.pk, "visited_on": visited_on},
        )
    return visit
