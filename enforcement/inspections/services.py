"""Every write to inspections: keyword-only, atomic, locked where two can race, audited.

The legal limits come from enforcement.rules (certified officers on the inspection date);
who may act from enforcement.permissions (inspection section). Refusals raise
StepForbidden (role, jurisdiction) or ValidationError (bad input, in Chinese) before
anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement import rules
from enforcement.authority.models import Procedure
from enforcement.inspections import selectors
from enforcement.inspections.models import (
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionAnswer,
)
from enforcement.permissions import (
    acting_unit_id,
    get_finding_for_user,
    get_inspection_for_user,
    inspection_refusal,
)
from enforcement.plans import services as plan_services
from enterprises.models import Enterprise
from hazards.models import HazardSource
from hazards.services import report_hazard
from safetyportal.audit.services import record_event
from safetyportal.core.uploads import IMAGES, check_upload
from safetyportal.workflow.errors import StepForbidden, StepNotAllowed

MAX_PHOTOS = 6


@dataclass
class FindingInput:
    description: str
    location: str = ""
    checklist_item_id: int | None = None
    photos: list = field(default_factory=list)


def checklist_for(enterprise) -> ChecklistTemplate | None:
    """The current checklist of the enterprise's industry, else the current general one."""
    templates = ChecklistTemplate.objects.filter(is_current=True).filter(
        industry_id__in=[enterprise.industry_id] if enterprise.industry_id else []
    )
    return templates.order_by("-version").first() or (
        ChecklistTemplate.objects.filter(is_current=True, industry__isnull=True)
        .order_by("-version")
        .first()
    )


def check_photos(files: Iterable) -> list:
    """The photos to keep (HEIC converted, large ones shrunk), or a ValidationError."""
    files = list(files or [])
    if len(files) > MAX_PHOTOS:
        raise ValidationError(_("每个问题最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS})
    return [check_upload(upload, allowed=IMAGES).file for upload in files]


def _refuse(user, action: str, inspection=None) -> None:
    reason = inspection_refusal(user, action, inspection)
    if reason:
        raise StepForbidden(reason)


def _check_date(day: datetime.date) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            {
                "inspected_on": _("检查日期不能晚于今天（%(today)s），请填写实际检查日期。")
                % {"today": today}
            }
        )


def _check_officers(officer_ids: set[int], unit_ids: set[int], day: datetime.date) -> None:
    from safetyportal.accounts.models import User

    outside = User.objects.filter(pk__in=officer_ids).exclude(organisation_id__in=unit_ids)
    if outside.exists():
        names = "、".join(str(u) for u in outside.order_by("pk"))
        raise ValidationError(
            {"officers": _("%(names)s不属于检查单位或联合检查单位。") % {"names": names}}
        )
    reason = rules.officers_refusal(officer_ids=officer_ids, procedure=Procedure.SIMPLE, day=day)
    if reason:
        raise ValidationError({"officers": reason})


def _save_finding(*, inspection: Inspection, data: FindingInput, items: set[int]) -> Finding:
    if data.checklist_item_id is not None and data.checklist_item_id not in items:
        raise ValidationError(_("问题关联的检查项不在本次检查表内。"))
    finding = Finding.objects.create(
        inspection=inspection,
        checklist_item_id=data.checklist_item_id,
        description=data.description,
        location=data.location,
    )
    FindingPhoto.objects.bulk_create(
        FindingPhoto(
            finding=finding,
            file=photo,
            original_name=PurePath(photo.name).name[:200],
            content_type=getattr(photo, "content_type", "") or "image/jpeg",
            size=photo.size,
        )
        for photo in data.photos
    )
    return finding


@transaction.atomic
def log_inspection(
    *,
    actor,
    enterprise: Enterprise,
    inspected_on: datetime.date,
    officers: Iterable,
    joint_units: Iterable = (),
    plan_target=None,
    summary: str = "",
    acknowledged_by: str = "",
    refused_to_sign: bool = False,
    answers: Mapping[int, tuple[str, str]] | None = None,
    findings: Iterable[FindingInput] = (),
) -> Inspection:
    """Log an inspection (a draft until submitted) with its checklist answers and findings."""
    _refuse(actor, "log")
    unit_id = acting_unit_id(actor)
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError(
            {
                "enterprise": _("“%(name)s”不在您的辖区或监管范围内，不能登记对它的检查。")
                % {"name": enterprise.name}
            }
        )
    _check_date(inspected_on)
    joint_ids = {getattr(u, "pk", u) for u in joint_units} - {unit_id}
    officer_ids = {getattr(o, "pk", o) for o in officers}
    _check_officers(officer_ids, {unit_id, *joint_ids}, inspected_on)
    if plan_target is not None:
        open_ids = set(
            plan_services.open_targets_for(actor, enterprise.pk).values_list("pk", flat=True)
        )
        if plan_target.pk not in open_ids:
            raise ValidationError(
                {"plan_target": _("所选计划检查对象不是本单位对该企业的未完成计划。")}
            )
    if acknowledged_by and refused_to_sign:
        raise ValidationError(
            {"acknowledged_by": _("已填写签字人就不能同时记录拒绝签字，请只选其一。")}
        )
    checklist = checklist_for(enterprise)
    items = set(
        ChecklistItem.objects.filter(template=checklist).values_list("pk", flat=True)
        if checklist
        else []
    )
    answers = dict(answers or {})
    if set(answers) - items:
        raise ValidationError(_("检查表答案与本次检查表不符，请刷新页面后重新填写。"))
    if any(value not in Answer.values for value, _note in answers.values()):
        raise ValidationError(_("检查结果只能是“符合”“不符合”或“不适用”。"))
    findings = list(findings)
    inspection = Inspection.objects.create(
        unit_id=unit_id,
        enterprise=enterprise,
        town_id=enterprise.town_id,
        plan_target=plan_target,
        inspected_on=inspected_on,
        checklist=checklist,
        summary=summary,
        acknowledged_by=acknowledged_by,
        refused_to_sign=refused_to_sign,
        finding_count=len(findings),
        created_by=actor,
    )
    inspection.officers.set(officer_ids)
    inspection.joint_units.set(joint_ids)
    InspectionAnswer.objects.bulk_create(
        InspectionAnswer(inspection=inspection, item_id=item, answer=value, note=note[:300])
        for item, (value, note) in answers.items()
    )
    for data in findings:
        _save_finding(inspection=inspection, data=data, items=items)
    record_event(
        actor=actor,
        verb="inspection.logged",
        target=inspection,
        payload={
            "values": {
                "enterprise": enterprise.name,
                "inspected_on": inspected_on,
                "officers": sorted(officer_ids),
                "joint_units": sorted(joint_ids),
                "findings": len(findings),
                "answers": len(answers),
            }
        },
    )
    return inspection


def _lock(actor, inspection_id: int, action: str) -> Inspection:
    inspection = get_inspection_for_user(actor, inspection_id)
    _refuse(actor, action, inspection)
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


@transaction.atomic
def add_finding(
    *,
    actor,
    inspection_id: int,
    description: str,
    location: str = "",
    checklist_item=None,
    photos: Iterable = (),
) -> Finding:
    """Add a finding to a draft inspection."""
    inspection = _lock(actor, inspection_id, "edit")
    if not inspection.is_draft:
        raise StepNotAllowed(_("检查记录已提交，不能再添加问题。"))
    items = set(
        ChecklistItem.objects.filter(template_id=inspection.checklist_id).values_list(
            "pk", flat=True
        )
    )
    finding = _save_finding(
        inspection=inspection,
        data=FindingInput(
            description=description,
            location=location,
            checklist_item_id=getattr(checklist_item, "pk", checklist_item),
            photos=check_photos(photos),
        ),
        items=items,
    )
    Inspection.objects.filter(pk=inspection.pk).update(finding_count=F("finding_count") + 1)
    selectors.touch_unfollowed()  # an update sends no signal
    record_event(
        actor=actor,
        verb="inspection.finding_added",
        target=inspection,
        payload={"note": description[:200]},
    )
    return finding


@transaction.atomic
def record_acknowledgement(
    *, actor, inspection_id: int, acknowledged_by: str = "", refused_to_sign: bool = False
) -> Inspection:
    """Who signed the draft record for the enterprise, or its head's refusal to sign."""
    inspection = _lock(actor, inspection_id, "edit")
    if not inspection.is_draft:
        raise StepNotAllowed(_("检查记录已提交。"))
    if bool(acknowledged_by) == bool(refused_to_sign):
        raise ValidationError(_("请填写签字人，或勾选拒绝签字（二选一）。"))
    inspection.acknowledged_by = acknowledged_by
    inspection.refused_to_sign = refused_to_sign
    inspection.save(update_fields=["acknowledged_by", "refused_to_sign"])
    record_event(
        actor=actor,
        verb="inspection.acknowledged",
        target=inspection,
        payload={
            "values": {"acknowledged_by": acknowledged_by, "refused_to_sign": refused_to_sign}
        },
    )
    return inspection


def acknowledgement_refusal(inspection: Inspection) -> str | None:
    """Art. 68: the record is signed by the enterprise's head, or the refusal recorded."""
    if inspection.acknowledged_by or inspection.refused_to_sign:
        return None
    return _("提交前请填写被检查单位负责人签字人，或记录其拒绝签字。")


@transaction.atomic
def submit_inspection(*, actor, inspection_id: int) -> Inspection:
    """draft -> submitted: the officers hold valid certificates on the inspection date;
    the plan target (if any) is marked done."""
    inspection = _lock(actor, inspection_id, "submit")
    if not inspection.is_draft:
        raise StepNotAllowed(_("检查记录已提交。"))
    reason = acknowledgement_refusal(inspection)
    if reason:
        raise StepNotAllowed(reason)
    officer_ids = set(inspection.officers.values_list("pk", flat=True))
    reason = rules.officers_refusal(
        officer_ids=officer_ids, procedure=Procedure.SIMPLE, day=inspection.inspected_on
    )
    if reason:
        raise ValidationError(reason)
    inspection.submit()
    inspection.save(update_fields=["status"])
    if inspection.plan_target_id:
        plan_services.mark_target_done(
            target_id=inspection.plan_target_id, day=inspection.inspected_on
        )
    record_event(actor=actor, verb="inspection.submitted", target=inspection)
    return inspection


@transaction.atomic
def finding_to_hazard(*, actor, finding_id: int, deadline: datetime.date, responsible_person: str):
    """The finding becomes a hazard in the ledger (source 日常监督检查), its photos copied;
    the inspection counts as followed up."""
    finding = get_finding_for_user(actor, finding_id, for_update=True)
    inspection = finding.inspection
    _refuse(actor, "to_hazard", inspection)
    if inspection.is_draft:
        raise StepNotAllowed(_("请先提交检查记录，再将问题转为隐患。"))
    if finding.hazard_id:
        raise StepNotAllowed(_("该问题已转为隐患，不能重复转。"))
    photos = []
    for photo in finding.photos.all():
        with photo.file.open("rb") as handle:
            photos.append(
                SimpleUploadedFile(
                    PurePath(photo.original_name).name or "photo.jpg",
                    handle.read(),
                    content_type=photo.content_type,
                )
            )
    hazard = report_hazard(
        actor=actor,
        enterprise=inspection.enterprise,
        source=HazardSource.INSPECTION,
        description=finding.description,
        location=finding.location or _("（检查现场）"),
        deadline=deadline,
        responsible_person=responsible_person,
        found_on=inspection.inspected_on,
        photos=photos,
    )
    finding.hazard = hazard
    finding.save(update_fields=["hazard"])
    Inspection.objects.filter(pk=inspection.pk).update(followed_up=True)
    selectors.touch_unfollowed()  # an update sends no signal
    record_event(
        actor=actor,
        verb="inspection.finding_to_hazard",
        target=inspection,
        payload={"note": f"{finding.description[:100]} → {hazard.code}"},
    )
    return hazard


def mark_followed_up(*, inspection_id: int) -> None:
    """A case was filed from the inspection (called by the cases service, inside its
    transaction; the case's own audit event records it)."""
    Inspection.objects.filter(pk=inspection_id).update(followed_up=True)
    selectors.touch_unfollowed()  # an update sends no signal
