"""Writes on duty lists: keyword-only, atomic, one audit event each. Who may act:
responsibilities.permissions.duty_refusal."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from responsibilities.duty_models import DUTY_ITEM_TRANSITIONS, DutyItem, DutyItemStatus, DutyList
from responsibilities.permissions import duty_refusal
from safetyportal.audit.services import record_event
from safetyportal.core.uploads import EVIDENCE, check_upload


def _require(user, duty_list, action: str) -> None:
    reason = duty_refusal(user, duty_list, action)
    if reason:
        raise PermissionDenied(reason)


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
        )
        if link is not None:
            item.link = link
        item.save()
        record_event(actor=actor, verb="duty_item.added", target=item, payload={"order": order})
    return item


def mark_duty_item_done(
    *, actor, item_id: int, evidence_note: str = "", evidence_file=None, done_on=None
) -> DutyItem:
    """Mark an item done; a note or a file as evidence is required."""
    evidence_note = (evidence_note or "").strip()
    if not evidence_note and evidence_file is None:
        raise ValidationError({"evidence_note": _("请填写完成情况说明或上传佐证材料。")})
    kept = check_upload(evidence_file, allowed=EVIDENCE).file if evidence_file else None
    with transaction.atomic():
        item = DutyItem.objects.select_for_update().select_related("duty_list").get(pk=item_id)
        _require(actor, item.duty_list, "mark_done")
        if DutyItemStatus.DONE not in DUTY_ITEM_TRANSITIONS.get(item.status, ()):
            raise ValidationError(_("该事项已标记完成。"))
        item.status = DutyItemStatus.DONE
        item.done_on = done_on or timezone.localdate()
        item.evidence_note = evidence_note
        if kept is not None:
            item.evidence_file = kept
        item.save()
        record_event(
            actor=actor, verb="duty_item.done", target=item, payload={"file": kept is not None}
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
            )
            for item in source.items.all()
        )
        record_event(actor=actor, verb="duty_list.copied", target=copy, payload={"from": source.pk})
    return copy
