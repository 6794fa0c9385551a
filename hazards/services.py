"""Every write to the ledger: keyword-only, atomic, locked, audited, one function per step.

Each step function locks the hazard (select_for_update), checks who may act
(`permissions.refusal`), moves the state with the model's transition method, saves the
changed fields and writes one audit event. Refusals raise StepForbidden / StepNotAllowed
(or ValidationError for bad input) before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hazards.models import (
    OPEN_STATUSES,
    AccountabilityRecord,
    AssignmentSlip,
    AttachmentKind,
    Bulletin,
    DeadlineExtension,
    ExtensionStatus,
    Hazard,
    HazardSource,
    HazardStatus,
    MajorHazardListing,
    ProgressEntry,
    StepForbidden,
    StepNotAllowed,
    SupervisionOrder,
    Verification,
    WrittenExplanation,
)
from hazards.permissions import (
    county_users,
    enterprise_users,
    get_hazard_for_user,
    is_enterprise_user,
    refusal,
    town_users,
)
from safetyportal.audit.services import record_event, snapshot
from safetyportal.core.uploads import PHOTOS_AND_PDF, check_upload
from safetyportal.notifications.services import mark_handled, notify

HAZARD_FIELDS = [
    "enterprise",
    "source",
    "hazard_class",
    "description",
    "location",
    "found_on",
    "deadline",
    "responsible_person",
]


def _lock(actor, hazard_id: int, step: str) -> Hazard:
    """The hazard, locked for this transaction, if `actor` may take `step` on it."""
    hazard = get_hazard_for_user(actor, hazard_id, for_update=True)
    reason = refusal(actor, hazard, step)
    if reason:
        raise StepForbidden(reason)
    return hazard


def _attach(*, actor, hazard: Hazard, files: Iterable, kind: str, progress_entry=None) -> int:
    from hazards.models import HazardAttachment

    count = 0
    for upload in files:
        detected = check_upload(upload, allowed=PHOTOS_AND_PDF)
        kept = detected.file
        HazardAttachment.objects.create(
            hazard=hazard,
            progress_entry=progress_entry,
            kind=kind,
            file=kept,
            original_name=kept.name[:200],
            content_type=detected.mime,
            size=kept.size,
            uploaded_by=actor,
        )
        count += 1
    return count


def _check_files(files: Iterable) -> list:
    return [check_upload(upload, allowed=PHOTOS_AND_PDF).file for upload in files or []]


def _withdraw_pending_extensions(*, actor, hazard: Hazard, note: str) -> int:
    """Close any pending extension request without a decision (audited); the count."""
    pending = list(hazard.extensions.select_for_update().filter(status=ExtensionStatus.PENDING))
    now = timezone.now()
    for extension in pending:
        extension.status = ExtensionStatus.WITHDRAWN
        extension.decided_by = actor
        extension.decided_at = now
        extension.decision_note = note
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record_event(
            actor=actor,
            verb="hazard.extension_withdrawn",
            target=hazard,
            payload={
                "note": f"延期申请（延至 {extension.requested_deadline}）已撤回：{note}",
            },
        )
    return len(pending)


def _check_step_date(hazard: Hazard, value: datetime.date, *, field: str, label: str) -> None:
    """A date recorded on a step lies between the hazard's found_on and today."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            {
                field: _("%(label)s不能晚于今天（%(today)s），请填写实际日期。")
                % {"label": label, "today": today}
            }
        )
    if value < hazard.found_on:
        raise ValidationError(
            {
                field: _("%(label)s不能早于隐患发现日期（%(found)s），请核对后重新填写。")
                % {"label": label, "found": hazard.found_on}
            }
        )


def _notify_users(users, *, title: str, hazard: Hazard, key: str, body: str = "") -> None:
    url = reverse("hazards:detail", args=[hazard.pk])
    recipients = list(users)

    def send() -> None:
        for user in recipients:
            notify(
                recipient=user,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"hazard:{hazard.pk}:{key}",
                kind="hazard",
            )

    transaction.on_commit(send)


def _handled(hazard: Hazard, *keys: str) -> None:
    """The notices about `hazard` that asked for what was just done (keys as passed to
    _notify_users, or "" for every notice of the hazard) stop waiting in 待阅通知, for
    everyone they went to, whoever did it."""
    prefixes = [f"hazard:{hazard.pk}:{key}" for key in keys]
    transaction.on_commit(lambda: mark_handled(key_prefixes=prefixes))


def _unique_key(name: str) -> str:
    return f"{name}:{timezone.now():%Y%m%d%H%M%S%f}"


@transaction.atomic
def report_hazard(
    *,
    actor,
    enterprise,
    source: str,
    description: str,
    location: str,
    deadline: datetime.date,
    responsible_person: str,
    responsible_phone: str = "",
    found_on: datetime.date | None = None,
    photos: Iterable = (),
) -> Hazard:
    """Enter a hazard in the ledger (一般 until the county office determines it 重大)."""
    reason = refusal(actor, enterprise, "report")
    if reason:
        raise StepForbidden(reason)
    if is_enterprise_user(actor):
        source = HazardSource.SELF_CHECK
    photos = _check_files(photos)
    found_on = found_on or timezone.localdate()
    if deadline < found_on:
        raise ValidationError({"deadline": _("整改期限不能早于发现日期。")})
    hazard = Hazard(
        enterprise=enterprise,
        town_id=enterprise.town_id,
        industry_id=enterprise.industry_id,
        source=source,
        description=description,
        location=location,
        found_on=found_on,
        deadline=deadline,
        original_deadline=deadline,
        responsible_person=responsible_person,
        responsible_phone=responsible_phone,
        reported_by=actor,
    )
    hazard.full_clean()
    hazard.save()
    _attach(actor=actor, hazard=hazard, files=photos, kind=AttachmentKind.PHOTO)
    record_event(
        actor=actor,
        verb="hazard.reported",
        target=hazard,
        payload={"values": snapshot(hazard, HAZARD_FIELDS), "photos": len(photos)},
    )
    if not is_enterprise_user(actor):
        _notify_users(
            enterprise_users(hazard),
            title=f"贵单位有一条新隐患需整改：{location}（期限 {deadline}）",
            hazard=hazard,
            key="reported",
        )
    return hazard


@transaction.atomic
def start_rectification(*, actor, hazard_id: int) -> Hazard:
    hazard = _lock(actor, hazard_id, "start")
    hazard.start_rectification()
    hazard.save(update_fields=["status", "updated_at"])
    record_event(actor=actor, verb="hazard.rectification_started", target=hazard)
    return hazard


@transaction.atomic
def determine_major_hazard(
    *,
    actor,
    hazard_id: int,
    list_number: str,
    determination_basis: str,
    determined_on: datetime.date,
    level: str = "county",
    criterion: str = "",
    is_supervised: bool = False,
) -> Hazard:
    """认定: the hazard becomes 重大 and goes on the major-hazard list (一单)."""
    hazard = _lock(actor, hazard_id, "determine")
    _check_step_date(hazard, determined_on, field="determined_on", label=_("认定日期"))
    if MajorHazardListing.objects.filter(list_number=list_number).exists():
        raise ValidationError(
            {"list_number": _("清单编号“%(number)s”已被使用，请换一个。") % {"number": list_number}}
        )
    hazard.determine_major()
    hazard.save(update_fields=["status", "hazard_class", "updated_at"])
    listing = MajorHazardListing.objects.create(
        hazard=hazard,
        list_number=list_number,
        level=level,
        determined_on=determined_on,
        determination_basis=determination_basis,
        criterion=criterion,
        is_supervised=is_supervised,
        determined_by=actor,
    )
    record_event(
        actor=actor,
        verb="hazard.determined_major",
        target=hazard,
        payload={
            "values": snapshot(
                listing, ["list_number", "level", "determination_basis", "is_supervised"]
            ),
            "note": f"列入重大事故隐患清单 {list_number}（{determination_basis}）",
        },
    )
    return hazard


@transaction.atomic
def assign_major_hazard(
    *,
    actor,
    hazard_id: int,
    slip_number: str,
    responsible_unit: str,
    supervising_unit,
    deadline: datetime.date,
    responsible_person: str,
    measures: str,
    funds_amount: Decimal,
    funds_source: str,
    contingency_measures: str,
    issued_on: datetime.date | None = None,
) -> Hazard:
    """交办: issue the assignment slip with the 五落实; rectification starts."""
    hazard = _lock(actor, hazard_id, "assign")
    issued_on = issued_on or timezone.localdate()
    if AssignmentSlip.objects.filter(slip_number=slip_number).exists():
        raise ValidationError(
            {"slip_number": _("交办单号“%(number)s”已被使用，请换一个。") % {"number": slip_number}}
        )
    if deadline <= issued_on:
        raise ValidationError({"deadline": _("整改完成时限必须晚于交办日期。")})
    if actor.organisation_id is None:
        raise StepForbidden(_("您的账号未指定所属单位，不能作为交办单位。"))
    hazard.assign(deadline=deadline, responsible_person=responsible_person)
    slip = AssignmentSlip(
        hazard=hazard,
        slip_number=slip_number,
        responsible_unit=responsible_unit,
        assigning_unit_id=actor.organisation_id,
        supervising_unit=supervising_unit,
        deadline=deadline,
        responsible_person=responsible_person,
        measures=measures,
        funds_amount=funds_amount,
        funds_source=funds_source,
        contingency_measures=contingency_measures,
        issued_on=issued_on,
        issued_by=actor,
    )
    slip.full_clean(exclude=["hazard"])
    hazard.save(
        update_fields=[
            "status",
            "deadline",
            "original_deadline",
            "responsible_person",
            "escalation_level",
            "updated_at",
        ]
    )
    slip.save()
    _withdraw_pending_extensions(
        actor=actor, hazard=hazard, note=_("交办已重新确定整改时限，原延期申请不再审批。")
    )
    record_event(
        actor=actor,
        verb="hazard.assigned",
        target=hazard,
        payload={
            "values": snapshot(
                slip,
                [
                    "slip_number",
                    "responsible_unit",
                    "supervising_unit",
                    "deadline",
                    "responsible_person",
                    "funds_amount",
                    "funds_source",
                ],
            ),
            "note": f"交办单 {slip_number}，整改时限 {deadline}",
        },
    )
    _notify_users(
        enterprise_users(hazard),
        title=f"重大事故隐患交办单 {slip_number}：请于 {deadline} 前完成整改",
        hazard=hazard,
        key="assigned",
    )
    return hazard


@transaction.atomic
def record_progress(
    *,
    actor,
    hazard_id: int,
    entry_date: datetime.date,
    percent: int,
    note: str,
    files: Iterable = (),
) -> ProgressEntry:
    """台账: a dated progress entry with its percentage and attachments."""
    hazard = _lock(actor, hazard_id, "progress")
    files = _check_files(files)
    hazard.check_progress_allowed()
    _check_step_date(hazard, entry_date, field="entry_date", label=_("进展日期"))
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成百分比应在 0 到 100 之间。")})
    entry = ProgressEntry.objects.create(
        hazard=hazard, entry_date=entry_date, percent=percent, note=note, recorded_by=actor
    )
    count = _attach(
        actor=actor, hazard=hazard, files=files, kind=AttachmentKind.PROGRESS, progress_entry=entry
    )
    hazard.save(update_fields=["updated_at"])
    record_event(
        actor=actor,
        verb="hazard.progress_recorded",
        target=hazard,
        payload={"note": f"{entry_date} 完成 {percent}%：{note}", "attachments": count},
    )
    return entry


@transaction.atomic
def submit_rectification(*, actor, hazard_id: int, note: str, files: Iterable = ()) -> Hazard:
    """General: rectification submitted. Major: application to close (销号). Either way
    with at least one evidence file (a photo after rectification, or a document)."""
    hazard = _lock(actor, hazard_id, "submit")
    files = _check_files(files)
    if not note.strip():
        raise ValidationError({"note": _("请写明整改情况。")})
    hazard.submit_rectification(by=actor, note=note)
    if not files:
        # verification (and 销号) is decided on evidence: a submission carries at least one
        raise ValidationError(
            {
                "files": _("重大隐患申请销号须上传至少一份整改证据（照片或 PDF），请上传后再提交。")
                if hazard.is_major
                else _("提交整改须上传至少一张整改后的照片或一份文件（PDF），请上传后再提交。")
            }
        )
    hazard.save(update_fields=["status", "submitted_by", "rectification_note", "updated_at"])
    count = _attach(actor=actor, hazard=hazard, files=files, kind=AttachmentKind.EVIDENCE)
    verb = "hazard.closure_applied" if hazard.is_major else "hazard.rectification_submitted"
    record_event(actor=actor, verb=verb, target=hazard, payload={"note": note, "evidence": count})
    # the requests to rectify are answered: the report, the slip, a send-back, the ladder
    _handled(hazard, "reported", "assigned", "verified:", "escalation:", "supervised:")
    _notify_users(
        town_users(hazard) if not hazard.is_major else county_users(),
        title=f"隐患 {hazard.code} 已提交整改，请核查",
        hazard=hazard,
        key=_unique_key("submitted"),
        body=note,
    )
    return hazard


@transaction.atomic
def verify_rectification(
    *,
    actor,
    hazard_id: int,
    passed: bool,
    opinion: str = "",
    verified_on: datetime.date | None = None,
    photos: Iterable = (),
) -> Hazard:
    """核查: pass closes the hazard (销号), the opinion optional; fail needs a written
    explanation and sends it back. On-site photos are kept as verification attachments."""
    hazard = _lock(actor, hazard_id, "verify_pass" if passed else "verify_fail")
    photos = _check_files(photos)
    if not passed and not opinion.strip():
        raise ValidationError({"opinion": _("不通过时须填写书面说明：存在的问题和整改要求。")})
    verified_on = verified_on or timezone.localdate()
    submitter_id = hazard.submitted_by_id
    if passed:
        hazard.pass_verification(on=verified_on)
    else:
        hazard.fail_verification()
    hazard.save(update_fields=["status", "closed_on", "updated_at"])
    Verification.objects.create(
        hazard=hazard,
        passed=passed,
        opinion=opinion,
        verified_on=verified_on,
        verified_by=actor,
        submitted_by_id=submitter_id,
    )
    count = _attach(actor=actor, hazard=hazard, files=photos, kind=AttachmentKind.VERIFICATION)
    if passed and hazard.is_major:
        MajorHazardListing.objects.filter(hazard=hazard).update(closing_opinion=opinion)
    if passed:
        _withdraw_pending_extensions(
            actor=actor, hazard=hazard, note=_("隐患已核查销号，延期申请不再审批。")
        )
    record_event(
        actor=actor,
        verb="hazard.verified" if passed else "hazard.verification_failed",
        target=hazard,
        payload={"note": opinion, "photos": count},
    )
    # "请核查" is done, whoever verified; a closed hazard asks nothing more of anyone
    if passed:
        _handled(hazard, "")
    else:
        _handled(hazard, "submitted:")
    _notify_users(
        enterprise_users(hazard),
        title=(
            f"隐患 {hazard.code} 核查通过，已销号"
            if passed
            else f"隐患 {hazard.code} 核查未通过，请继续整改：{opinion[:60]}"
        ),
        hazard=hazard,
        key=_unique_key("verified"),
        # a send-back says why, and what is owed: the unit's written explanation
        body=(
            opinion
            if passed
            else f"核查意见：{opinion}\n请按意见继续整改，并向交办单位提交书面说明。"
        ),
    )
    return hazard


@transaction.atomic
def request_extension(
    *, actor, hazard_id: int, requested_deadline: datetime.date, reason: str
) -> DeadlineExtension:
    hazard = _lock(actor, hazard_id, "request_extension")
    hazard.check_extension_request(today=timezone.localdate())
    if requested_deadline <= hazard.deadline:
        raise ValidationError({"requested_deadline": _("申请延至的日期必须晚于当前整改期限。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明延期理由。")})
    extension = DeadlineExtension.objects.create(
        hazard=hazard,
        old_deadline=hazard.deadline,
        requested_deadline=requested_deadline,
        reason=reason,
        requested_by=actor,
    )
    record_event(
        actor=actor,
        verb="hazard.extension_requested",
        target=hazard,
        payload={"note": f"申请由 {hazard.deadline} 延至 {requested_deadline}：{reason}"},
    )
    _notify_users(
        county_users(),
        title=f"隐患 {hazard.code} 申请延期",
        hazard=hazard,
        key=_unique_key("ext-request"),
        body=reason,
    )
    return extension


@transaction.atomic
def decide_extension(*, actor, hazard_id: int, approve: bool, note: str = "") -> Hazard:
    """Approve or refuse the pending extension; the original deadline stays on record."""
    hazard = _lock(actor, hazard_id, "decide_extension")
    extension = hazard.extensions.select_for_update().filter(status=ExtensionStatus.PENDING).first()
    if extension is None:
        raise StepNotAllowed(_("没有待审批的延期申请。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予批准时请写明理由。")})
    if approve and extension.requested_deadline <= hazard.deadline:
        raise StepNotAllowed(
            _(
                "申请延至的日期（%(requested)s）不晚于当前整改期限（%(deadline)s），"
                "不能批准；请不予批准，或由申请人重新申请。"
            )
            % {"requested": extension.requested_deadline, "deadline": hazard.deadline}
        )
    old = hazard.deadline
    if approve:
        hazard.extend_deadline(extension.requested_deadline)
        hazard.save(update_fields=["deadline", "escalation_level", "updated_at"])
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor=actor,
        verb="hazard.extension_approved" if approve else "hazard.extension_refused",
        target=hazard,
        payload={
            "changes": {"deadline": [str(old), str(hazard.deadline)]} if approve else {},
            "note": note,
        },
    )
    _handled(hazard, "ext-request")
    _notify_users(
        [extension.requested_by],
        title=(
            f"隐患 {hazard.code} 延期申请已批准，新期限 {hazard.deadline}"
            if approve
            else f"隐患 {hazard.code} 延期申请不予批准：{note[:60]}"
        ),
        hazard=hazard,
        key=_unique_key("ext-decided"),
        body=note,
    )
    return hazard


@transaction.atomic
def void_hazard(*, actor, hazard_id: int, reason: str) -> Hazard:
    """A hazard entered by mistake is voided with a reason, never deleted."""
    hazard = _lock(actor, hazard_id, "void")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明作废原因。")})
    hazard.void(reason=reason)
    hazard.save(update_fields=["status", "void_reason", "updated_at"])
    _withdraw_pending_extensions(
        actor=actor, hazard=hazard, note=_("隐患已作废，延期申请不再审批。")
    )
    record_event(actor=actor, verb="hazard.voided", target=hazard, payload={"reason": reason})
    _handled(hazard, "")  # nothing about a voided hazard waits for anyone
    return hazard


@transaction.atomic
def record_accountability(
    *, actor, hazard_id: int, kind: str, unit: str, decided_on: datetime.date, note: str
) -> AccountabilityRecord:
    hazard = _lock(actor, hazard_id, "accountability")
    hazard.check_accountability_allowed()
    record = AccountabilityRecord(
        hazard=hazard, kind=kind, unit=unit, decided_on=decided_on, note=note, recorded_by=actor
    )
    record.full_clean()
    record.save()
    record_event(
        actor=actor,
        verb="hazard.accountability_recorded",
        target=hazard,
        payload={"note": f"{record.get_kind_display()}：{unit}。{note}"},
    )
    return record


def _assigning_unit_users(hazard: Hazard):
    """Who a written explanation is addressed to: the slip's assigning unit (else the
    county office), and for a general hazard the town that follows it up."""
    from safetyportal.accounts.models import User

    slip = getattr(hazard, "slip", None)
    users = list(county_users())
    if slip is not None:
        users += list(User.objects.filter(organisation_id=slip.assigning_unit_id, is_active=True))
    if not hazard.is_major:
        users += list(town_users(hazard))
    return list({user.pk: user for user in users}.values())


@transaction.atomic
def submit_explanation(*, actor, hazard_id: int, text: str) -> WrittenExplanation:
    """书面说明: the responsible unit (or its town) explains to the assigning unit why the
    verification failed or the deadline of a major hazard was missed."""
    hazard = _lock(actor, hazard_id, "explain")
    occasion = hazard.check_explanation_allowed()
    if not text.strip():
        raise ValidationError({"text": _("请写明书面说明的内容（原因、已采取的措施和完成时间）。")})
    explanation = WrittenExplanation.objects.create(
        hazard=hazard, reason=occasion, text=text, submitted_by=actor
    )
    record_event(
        actor=actor,
        verb="hazard.explanation_submitted",
        target=hazard,
        payload={"note": f"{explanation.get_reason_display()}：{text}"},
    )
    recipients = [user for user in _assigning_unit_users(hazard) if user.pk != actor.pk]
    _notify_users(
        recipients,
        title=f"隐患 {hazard.code} 的责任单位提交了书面说明（{explanation.get_reason_display()}）",
        hazard=hazard,
        key=_unique_key("explained"),
        body=text,
    )
    return explanation


@transaction.atomic
def supervise_hazard(
    *, actor, hazard_id: int, demand: str, respond_by: datetime.date | None = None
) -> SupervisionOrder:
    """督办: a leader or the county office presses the responsible unit and its town on an
    overdue hazard; who, when, what was demanded and how late it was are recorded."""
    hazard = _lock(actor, hazard_id, "supervise")
    hazard.check_supervision_allowed()
    if not demand.strip():
        raise ValidationError({"demand": _("请写明督办要求。")})
    today = timezone.localdate()
    if respond_by is not None and respond_by < today:
        raise ValidationError({"respond_by": _("限期答复日期不能早于今天。")})
    order = SupervisionOrder.objects.create(
        hazard=hazard,
        demand=demand,
        respond_by=respond_by,
        days_overdue=(today - hazard.deadline).days,
        escalation_level=hazard.escalation_level,
        issued_by=actor,
    )
    by_when = f"，请于 {respond_by} 前答复" if respond_by else ""
    record_event(
        actor=actor,
        verb="hazard.supervised",
        target=hazard,
        payload={"note": f"逾期 {order.days_overdue} 天，督办要求：{demand}{by_when}"},
    )
    _notify_users(
        [*enterprise_users(hazard).filter(is_active=True), *town_users(hazard)],
        title=f"督办：隐患 {hazard.code} 已逾期 {order.days_overdue} 天{by_when}",
        hazard=hazard,
        key=_unique_key("supervised"),
        body=f"督办人：{actor}\n督办要求：{demand}",
    )
    return order


# pg_advisory_xact_lock key for bulletin generation (any constant unique in the project)
BULLETIN_LOCK = 0x48415A42  # "HAZB"


def _serialise(key: int) -> None:
    """Hold a transaction-scoped PostgreSQL advisory lock on `key` until commit, so two
    callers run one after the other. Other databases (SQLite in tools) serialise writes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def generate_bulletin(*, actor=None) -> Bulletin:
    """通报: the major-hazard list's new, overdue and closed items since the last bulletin."""
    reason = refusal(actor, None, "generate_bulletin") if actor is not None else None
    if reason:
        raise StepForbidden(reason)
    # serialise bulletins, the first one included (there is no row to lock yet)
    _serialise(BULLETIN_LOCK)
    last = Bulletin.objects.order_by("-number").first()
    since = last.created_at if last else None
    now = timezone.now()
    today = timezone.localdate()
    majors = Hazard.objects.major().select_related("enterprise", "town", "listing")

    def row(h: Hazard) -> dict:
        return {
            "id": h.pk,
            "list_number": h.listing.list_number if hasattr(h, "listing") else "",
            "enterprise": h.enterprise.name,
            "town": h.town.name,
            "description": h.description[:100],
            "deadline": h.deadline.isoformat(),
            "closed_on": h.closed_on.isoformat() if h.closed_on else "",
        }

    new = majors.exclude(status=HazardStatus.VOIDED)
    closed = majors.filter(status=HazardStatus.CLOSED)
    if since is not None:
        # entries made after the previous bulletin, by creation time (strictly): a second
        # bulletin the same day does not repeat the first one's new entries
        new = new.filter(listing__created_at__gt=since)
        closed = closed.filter(closed_on__gte=since.date())
    content = {
        "new": [row(h) for h in new.order_by("listing__list_number")],
        "overdue": [row(h) for h in majors.overdue(today).order_by("deadline")],
        "closed": [row(h) for h in closed.order_by("closed_on")],
        "totals": {
            "listed": majors.exclude(status=HazardStatus.VOIDED).count(),
            "closed": majors.filter(status=HazardStatus.CLOSED).count(),
            "open": majors.filter(status__in=OPEN_STATUSES).count(),
        },
    }
    number = (Bulletin.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    bulletin = Bulletin.objects.create(
        number=number, period_start=since, created_at=now, created_by=actor, content=content
    )
    record_event(
        actor=actor,
        verb="hazard.bulletin_generated",
        target=bulletin,
        payload={
            "note": f"新增 {len(content['new'])}，逾期 {len(content['overdue'])}，"
            f"销号 {len(content['closed'])}"
        },
    )
    return bulletin
