"""Writes on duty lists: keyword-only, atomic, one audit event each. Who may act:
responsibilities.permissions.duty_refusal."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from responsibilities.duty_forms import portal_path
from responsibilities.duty_models import DutyItem, DutyList
from responsibilities.permissions import duty_refusal
from safetyportal.audit.services import record_event
from safetyportal.core.uploads import EVIDENCE, check_upload
from safetyportal.workflow.errors import StepForbidden


def _require(user, duty_list, action: str) -> None:
    reason = duty_refusal(user, duty_list, action)
    if reason:
        raise PermissionDenied(reason)


def _require_step(user, item: DutyItem, action: str) -> None:
    reason = duty_refusal(user, item.duty_list, action)
    if reason:
        raise StepForbidden(reason)


def create_duty_list(*, actor, year: int, owner, owner_person: str = "") -> DutyList:
    _require(actor, None, "manage")
    if DutyList.objects.filter(year=year, owner=owner, owner_person=owner_person).exists():
        raise ValidationError(_("该单位本年度的责任清单已存在。"))
    with transaction.atomic():
        duty_list = DutyList.objects.create(
            year=year, owner=owner, owner_person=owner_person, created_by=actor
        )
        record_event(
            actor=actor, verb="duty_list.created", target=duty_list, payload={"year": year}
        )
    return duty_list


def add_duty_item(
    *,
    actor,
    duty_list_id: int,
    content: str,
    legal_basis: str = "",
    frequency: str = "",
    deadline: datetime.date | None = None,
    link=None,
    industry=None,
) -> DutyItem:
    _require(actor, None, "manage")
    if not content.strip():
        raise ValidationError({"content": _("请填写责任内容。")})
    with transaction.atomic():
        duty_list = DutyList.objects.select_for_update().get(pk=duty_list_id)
        order = duty_list.items.count() + 1
        item = DutyItem(
            duty_list=duty_list,
            order=order,
            content=content.strip(),
            legal_basis=legal_basis,
            frequency=frequency,
            deadline=deadline,
            industry=industry,
        )
        if link is not None:
            item.link = link
        item.save()
        record_event(actor=actor, verb="duty_item.added", target=item, payload={"order": order})
    return item


def mark_duty_item_done(
    *,
    actor,
    item_id: int,
    evidence_note: str = "",
    evidence_file=None,
    evidence_link: str = "",
    done_on: datetime.date | None = None,
) -> DutyItem:
    """Mark an item done (workflow step "mark-done"); a note, a file or a link to a portal
    record as evidence is required. A reopened item's reason is cleared."""
    evidence_note = (evidence_note or "").strip()
    evidence_link = (evidence_link or "").strip()
    if evidence_link:
        path = portal_path(evidence_link)
        if path is None:
            raise ValidationError(
                {
                    "evidence_link": _(
                        "请填写本平台记录页面的链接，例如 /enforcement/inspections/12/。"
                    )
                }
            )
        evidence_link = path
    if not evidence_note and evidence_file is None and not evidence_link:
        raise ValidationError(
            {"evidence_note": _("请填写完成情况说明、上传佐证材料或填写佐证记录链接。")}
        )
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("完成日期不能晚于今天。")})
    kept = check_upload(evidence_file, allowed=EVIDENCE).file if evidence_file else None
    with transaction.atomic():
        item = DutyItem.objects.select_for_update().select_related("duty_list").get(pk=item_id)
        _require_step(actor, item, "mark_done")
        item.move("mark_done")
        item.done_on = done_on
        item.evidence_note = evidence_note
        item.evidence_link = evidence_link
        item.reopen_reason = ""
        fields = ["status", "done_on", "evidence_note", "evidence_link", "reopen_reason"]
        if kept is not None:
            item.evidence_file = kept
            fields.append("evidence_file")
        item.save(update_fields=fields)
        record_event(
            actor=actor,
            verb="duty_item.done",
            target=item,
            payload={"file": kept is not None, "link": evidence_link, "on": done_on},
        )
    return item


def reopen_duty_item(*, actor, item_id: int, reason: str) -> DutyItem:
    """Reopen a done item (workflow step "reopen"): the evidence does not hold, or the
    unit marked it by mistake. The date is cleared; the evidence stays visible until the
    item is marked done again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    with transaction.atomic():
        item = DutyItem.objects.select_for_update().select_related("duty_list").get(pk=item_id)
        _require_step(actor, item, "reopen")
        item.move("reopen")
        item.done_on = None
        item.reopen_reason = reason
        item.save(update_fields=["status", "done_on", "reopen_reason"])
        record_event(
            actor=actor, verb="duty_item.reopened", target=item, payload={"reason": reason}
        )
    return item


def copy_duty_list(*, actor, duty_list_id: int, year: int) -> DutyList:
    """Copy a list into `year`, every item back to pending, without evidence."""
    _require(actor, None, "manage")
    source = DutyList.objects.get(pk=duty_list_id)
    if year <= source.year:
        raise ValidationError(_("新年度须晚于原清单年度。"))
    if DutyList.objects.filter(
        year=year, owner_id=source.owner_id, owner_person=source.owner_person
    ).exists():
        raise ValidationError(_("该单位本年度的责任清单已存在。"))
    with transaction.atomic():
        copy = DutyList.objects.create(
            year=year, owner_id=source.owner_id, owner_person=source.owner_person, created_by=actor
        )
        DutyItem.objects.bulk_create(
            DutyItem(
                duty_list=copy,
                order=item.order,
                content=item.content,
                legal_basis=item.legal_basis,
                frequency=item.frequency,
                deadline=item.deadline.replace(year=item.deadline.year + year - source.year)
                if item.deadline and not (item.deadline.month == 2 and item.deadline.day == 29)
                else None,
                link_type_id=item.link_type_id,
                link_id=item.link_id,
                industry_id=item.industry_id,
            )
            for item in source.items.all()
        )
        record_event(actor=actor, verb="duty_list.copied", target=copy, payload={"from": source.pk})
    return copy
