"""Writes of whistleblower reports. Each service is keyword-only, atomic, locks the report
where two people can race, and records one audit event whose payload never holds the
reporter's identity (only which fields exist, never their values)."""

from __future__ import annotations

import datetime
import hmac
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.reports import crypto, rewards
from enforcement.reports.files import clean_report_file
from enforcement.reports.models import (
    Report,
    ReportAttachment,
    ReporterIdentity,
    ReportStatus,
    ReportUserObjectPermission,
    RevealGrant,
    Reward,
    RewardStatus,
)
from enforcement.reports.permissions import (
    get_report_for_user,
    grant_refusal,
    report_refusal,
    reveal_refusal,
)
from enterprises.models import Enterprise
from responsibilities.models import (
    Organisation,
    OrganisationKind,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_event
from safetyportal.notifications.services import notify_many
from safetyportal.workflow import StepForbidden

# no 0/O, 1/I/L: read aloud over the phone or copied by hand without mistakes
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31**16, about 2**79: not guessable, not sequential


def new_receipt_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """The code as stored, or None when it cannot be one (wrong length or characters)."""
    code = "".join((raw or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _today() -> datetime.date:
    return timezone.localdate()


def _county_office() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.OFFICE).order_by("pk").first()


def _lock(actor, report_id: int, step: str) -> Report:
    visible = get_report_for_user(actor, report_id)
    reason = report_refusal(actor, visible, step)
    if reason:
        raise StepForbidden(reason)
    report = Report.objects.select_for_update().get(pk=visible.pk)
    report.move(step)
    return report


def _notify_unit(unit_id: int | None, *, title: str, report: Report, key: str) -> None:
    if unit_id is None:
        return
    users = User.objects.filter(organisation_id=unit_id, is_active=True)
    url = f"/enforcement/reports/{report.pk}/"
    transaction.on_commit(
        lambda: notify_many(
            recipients=list(users), title=title, url=url, dedupe_key=f"report:{report.pk}:{key}"
        )
    )


# --- the public side ------------------------------------------------------------------------


@transaction.atomic
def submit_report(
    *,
    kind: str,
    enterprise_name: str,
    location: str,
    description: str,
    happened_on: datetime.date | None = None,
    files: Iterable = (),
    name: str = "",
    phone: str = "",
    contact: str = "",
    relation: str = "",
    is_whistleblower: bool = False,
) -> Report:
    """A report from the public form (no user). Files are cleaned first: a bad file
    stores nothing. The identity, when given, is encrypted into its own table."""
    cleaned = [clean_report_file(upload) for upload in files]
    if len(cleaned) > settings.REPORT_MAX_FILES:
        raise ValidationError(
            {"files": _("最多上传 %(n)s 个文件。") % {"n": settings.REPORT_MAX_FILES}}
        )
    matches = list(Enterprise.objects.filter(name=enterprise_name.strip())[:2])
    enterprise = matches[0] if len(matches) == 1 else None
    today = _today()
    anonymous = not (name or phone or contact)
    code = new_receipt_code()
    while Report.objects.filter(receipt_code=code).exists():  # 2**-79: never, but cheap
        code = new_receipt_code()
    report = Report.objects.create(
        receipt_code=code,
        kind=kind,
        enterprise=enterprise,
        enterprise_name=enterprise_name.strip(),
        town_id=enterprise.town_id if enterprise else None,
        industry_id=enterprise.industry_id if enterprise else None,
        location=location,
        description=description,
        happened_on=happened_on,
        is_anonymous=anonymous,
        is_whistleblower=bool(is_whistleblower) and not anonymous,
        unit=_county_office(),
        received_on=today,
        accept_due=today + datetime.timedelta(days=settings.REPORT_ACCEPT_DAYS),
    )
    if not anonymous:
        ReporterIdentity.objects.create(
            report=report,
            name_token=crypto.encrypt(name),
            phone_token=crypto.encrypt(phone),
            contact_token=crypto.encrypt(contact),
            relation_token=crypto.encrypt(relation),
            phone_hash=crypto.phone_hash(phone),
        )
    for kept, extension in cleaned:
        ReportAttachment.objects.create(
            report=report, file=kept, extension=extension, size=kept.size
        )
    record_event(
        actor=None,
        verb="report.received",
        target=report,
        payload={"kind": kind, "anonymous": anonymous, "attachments": len(cleaned)},
    )
    _notify_unit(report.unit_id, title=_("收到一条新的安全生产举报"), report=report, key="received")
    return report


# a real-looking code that is never issued: a malformed code is looked up too, so a wrong,
# a missing and a malformed code cost the same query
_DECOY = "Z" * CODE_LENGTH


def lookup_report(raw_code: str) -> Report | None:
    """The report a receipt code follows (a merged duplicate: the report it was merged
    into, so every reporter's code keeps working), or None. One indexed query whatever the
    input; the code is compared again in constant time."""
    code = normalise_code(raw_code)
    probe = code or _DECOY
    report = (
        Report.objects.select_related("merged_into")
        .only(
            "receipt_code",
            "status",
            "received_on",
            "reject_reason",
            "feedback",
            "feedback_on",
            "verify_due",
            "extended_on",
            "extension_reason",
            "merged_into__status",
            "merged_into__feedback",
            "merged_into__feedback_on",
            "merged_into__reject_reason",
            "merged_into__received_on",
            "merged_into__verify_due",
            "merged_into__extended_on",
            "merged_into__extension_reason",
        )
        .filter(receipt_code=probe)
        .first()
    )
    found = report is not None and hmac.compare_digest(report.receipt_code, probe)
    if not found or code is None:
        return None
    return report.merged_into if report.merged_into_id else report


# --- handling ----------------------------------------------------------------------------


@transaction.atomic
def accept_report(*, actor, report_id: int, note: str = "") -> Report:
    report = _lock(actor, report_id, "accept")
    today = _today()
    report.accepted_on = today
    report.verify_due = today + datetime.timedelta(days=settings.REPORT_VERIFY_DAYS)
    report.save(update_fields=["status", "accepted_on", "verify_due"])
    record_event(
        actor=actor,
        verb="report.accepted",
        target=report,
        payload={"verify_due": report.verify_due, "note": note},
    )
    return report


@transaction.atomic
def reject_report(*, actor, report_id: int, reason: str) -> Report:
    report = _lock(actor, report_id, "reject")
    report.reject_reason = reason
    report.feedback_on = _today()
    report.save(update_fields=["status", "reject_reason", "feedback_on"])
    record_event(actor=actor, verb="report.rejected", target=report, payload={"reason": reason})
    return report


def suggest_unit(report: Report) -> Organisation | None:
    """Where the supervision map routes the report: the lead department of the
    enterprise's industry in the current map, else the town (None: no suggestion)."""
    if report.industry_id:
        current = SupervisionMap.objects.current()
        if current is not None:
            lead = (
                SupervisionAssignment.objects.filter(
                    supervision_map=current, industry_id=report.industry_id, is_lead=True
                )
                .select_related("department")
                .first()
            )
            if lead is not None:
                return lead.department
    if report.town_id:
        return Organisation.objects.filter(pk=report.town_id).first()
    return None


@transaction.atomic
def assign_report(*, actor, report_id: int, unit: Organisation, note: str = "") -> Report:
    report = _lock(actor, report_id, "assign")
    if unit.kind not in (
        OrganisationKind.DEPARTMENT,
        OrganisationKind.TOWN,
        OrganisationKind.SUBDISTRICT,
    ):
        raise ValidationError({"unit": _("只能交办给部门或镇街。")})
    report.unit = unit
    report.save(update_fields=["status", "unit"])
    record_event(
        actor=actor,
        verb="report.assigned",
        target=report,
        payload={"unit": unit.name, "unit_id": unit.pk, "note": note},
    )
    _notify_unit(
        unit.pk, title=_("县安委办交办了一条举报，请在期限内核查"), report=report, key="assigned"
    )
    return report


@transaction.atomic
def extend_verification(*, actor, report_id: int, days: int, reason: str) -> Report:
    report = _lock(actor, report_id, "extend")
    if not 1 <= days <= settings.REPORT_EXTENSION_MAX_DAYS:
        raise ValidationError(
            {
                "days": _("延长天数应在 1 到 %(n)s 天之间。")
                % {"n": settings.REPORT_EXTENSION_MAX_DAYS}
            }
        )
    report.verify_due = report.verify_due + datetime.timedelta(days=days)
    report.extended_on = _today()
    report.extension_reason = reason
    report.save(update_fields=["verify_due", "extended_on", "extension_reason"])
    record_event(
        actor=actor,
        verb="report.extended",
        target=report,
        payload={"days": days, "verify_due": report.verify_due, "reason": reason},
    )
    return report


@transaction.atomic
def verify_report(
    *, actor, report_id: int, outcome: str, findings: str, enterprise: Enterprise | None = None
) -> Report:
    report = _lock(actor, report_id, "verify")
    today = _today()
    report.outcome = outcome
    report.findings = findings
    report.verified_on = today
    report.feedback_due = today + datetime.timedelta(days=settings.REPORT_FEEDBACK_DAYS)
    fields = ["status", "outcome", "findings", "verified_on", "feedback_due"]
    if enterprise is not None:
        report.enterprise = enterprise
        report.town_id = enterprise.town_id
        report.industry_id = enterprise.industry_id
        fields += ["enterprise", "town", "industry"]
    report.save(update_fields=fields)
    record_event(
        actor=actor,
        verb="report.verified",
        target=report,
        payload={"outcome": outcome, "enterprise_id": report.enterprise_id},
    )
    return report


@transaction.atomic
def give_feedback(*, actor, report_id: int, feedback: str) -> Report:
    report = _lock(actor, report_id, "feedback")
    report.feedback = feedback
    report.feedback_on = _today()
    report.save(update_fields=["status", "feedback", "feedback_on"])
    record_event(actor=actor, verb="report.feedback_given", target=report, payload={})
    return report


@transaction.atomic
def merge_report(*, actor, report_id: int, into: Report) -> Report:
    """A duplicate joins `into` (the same enterprise and matter): its code then shows the
    other report's progress; its identity and files stay with it (the reward goes to the
    first accepted real-name reporter, domain-notes §6.2)."""
    visible = get_report_for_user(actor, report_id)
    # both reports are locked, in the order of their ids: two merges crossing at the same
    # moment (A into B, B into A) would otherwise each hold one lock and wait for the other
    # (PostgreSQL breaks the deadlock with an error); the second now waits, then finds the
    # first merge done and is refused
    list(
        Report.objects.select_for_update()
        .filter(pk__in=(visible.pk, into.pk))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    report = _lock(actor, report_id, "merge")
    target = Report.objects.select_for_update().get(pk=into.pk)
    if target.pk == report.pk or target.status in (ReportStatus.MERGED, ReportStatus.REJECTED):
        raise ValidationError({"into": _("只能合并到另一条未合并、未驳回的举报。")})
    report.merged_into = target
    report.save(update_fields=["status", "merged_into"])
    record_event(actor=actor, verb="report.merged", target=report, payload={"into": target.pk})
    return report


@transaction.atomic
def convert_to_hazard(
    *,
    actor,
    report_id: int,
    location: str,
    description: str,
    deadline: datetime.date,
    responsible_person: str,
) -> Report:
    from hazards.models import HazardSource
    from hazards.services import report_hazard

    report = _lock(actor, report_id, "to_hazard")
    hazard = report_hazard(
        actor=actor,
        enterprise=report.enterprise,
        source=HazardSource.PUBLIC_REPORT,
        description=description,
        location=location,
        deadline=deadline,
        responsible_person=responsible_person,
    )
    report.hazard = hazard
    report.save(update_fields=["hazard"])
    record_event(actor=actor, verb="report.converted", target=report, payload={"hazard": hazard.pk})
    return report


@transaction.atomic
def convert_to_case(*, actor, report_id: int, item, officers, facts: str) -> Report:
    from enforcement.authority.models import PartyKind
    from enforcement.cases.services import open_general_case

    report = _lock(actor, report_id, "to_case")
    case = open_general_case(
        actor=actor,
        item=item,
        party_kind=PartyKind.ORGANISATION,
        enterprise=report.enterprise,
        party_name=report.enterprise.name,
        facts=facts,
        officers=officers,
    )
    report.case = case
    report.save(update_fields=["case"])
    record_event(actor=actor, verb="report.converted", target=report, payload={"case": case.pk})
    return report


# --- rewards -------------------------------------------------------------------------------


@transaction.atomic
def compute_reward(
    *,
    actor,
    report_id: int,
    basis: str,
    fine: Decimal | None = None,
    deaths: int | None = None,
    accident_grade: str = "",
) -> Reward:
    report = _lock(actor, report_id, "reward")
    result = rewards.compute(
        basis=basis,
        fine=fine,
        deaths=deaths,
        accident_grade=accident_grade,
        whistleblower=report.is_whistleblower,
    )
    reward, _created = Reward.objects.update_or_create(
        report=report,
        defaults={
            "basis": basis,
            "fine": fine,
            "deaths": deaths,
            "accident_grade": accident_grade,
            "base_amount": result.base,
            "uplift_amount": result.uplift,
            "amount": result.amount,
            "status": RewardStatus.COMPUTED,
            "computed_on": _today(),
        },
    )
    record_event(
        actor=actor,
        verb="report.reward_computed",
        target=report,
        payload={"basis": basis, "amount": result.amount},
    )
    return reward


@transaction.atomic
def approve_reward(*, actor, report_id: int, note: str = "") -> Reward:
    report = _lock(actor, report_id, "approve_reward")
    reward = Reward.objects.select_for_update().get(report=report)
    reward.status = RewardStatus.APPROVED
    reward.approved_by = actor
    reward.approved_on = _today()
    reward.save(update_fields=["status", "approved_by", "approved_on"])
    record_event(
        actor=actor,
        verb="report.reward_approved",
        target=report,
        payload={"amount": reward.amount, "note": note},
    )
    return reward


@transaction.atomic
def pay_reward(
    *, actor, report_id: int, paid_on: datetime.date, payment_reference: str = ""
) -> Reward:
    report = _lock(actor, report_id, "pay_reward")
    reward = Reward.objects.select_for_update().get(report=report)
    if paid_on > _today():
        raise ValidationError({"paid_on": _("发放日期不能晚于今天。")})
    reward.status = RewardStatus.PAID
    reward.paid_on = paid_on
    reward.payment_reference = payment_reference
    reward.save(update_fields=["status", "paid_on", "payment_reference"])
    record_event(
        actor=actor,
        verb="report.reward_paid",
        target=report,
        payload={"amount": reward.amount, "paid_on": paid_on},
    )
    return reward


# --- the reporter's identity ------------------------------------------------------------------


@transaction.atomic
def reveal_identity(*, actor, report_id: int) -> dict[str, str]:
    """The reporter's identity in clear, for one response, to a user with an explicit
    grant; the audit event names who looked and which fields exist, never the values."""
    report = get_report_for_user(actor, report_id)
    reason = reveal_refusal(actor, report)
    if reason:
        raise StepForbidden(reason)
    identity = ReporterIdentity.objects.get(report=report)
    values = {
        "name": crypto.decrypt(identity.name_token),
        "phone": crypto.decrypt(identity.phone_token),
        "contact": crypto.decrypt(identity.contact_token),
        "relation": crypto.decrypt(identity.relation_token),
    }
    record_event(
        actor=actor,
        verb="report.identity_revealed",
        target=report,
        payload={"fields": sorted(k for k, v in values.items() if v)},
    )
    return values


GRANTEE_ROLES = (Role.COUNTY_OFFICE, Role.DEPARTMENT, Role.TOWN)


@transaction.atomic
def grant_reveal(*, actor, user: User, report: Report | None = None, unit=None) -> bool:
    """Let `user` reveal the reporter of one report (guardian) or of a unit's reports.
    Granting what is already granted changes nothing and records nothing; returns whether
    a grant was added."""
    reason = grant_refusal(actor)
    if reason:
        raise StepForbidden(reason)
    if user.role not in GRANTEE_ROLES or not user.is_active:
        raise ValidationError({"user": _("只能授权给县安委办、部门或镇街的在职人员。")})
    if report is None and unit is None:
        raise ValidationError(_("请选择授权的举报或单位。"))
    if report is not None and report.is_anonymous:
        raise ValidationError({"report": _("这是匿名举报，没有举报人身份信息，无需授权。")})
    added = False
    if (
        report is not None
        and not ReportUserObjectPermission.objects.filter(
            user=user, content_object=report, permission__codename="reveal_reporter"
        ).exists()
    ):
        from guardian.shortcuts import assign_perm

        assign_perm("enforcement.reveal_reporter", user, report)
        record_event(
            actor=actor,
            verb="report.reveal_granted",
            target=report,
            payload={"user_id": user.pk, "user": str(user)},
        )
        added = True
    if unit is not None:
        grant, created = RevealGrant.objects.get_or_create(
            user=user, unit=unit, defaults={"granted_by": actor}
        )
        if created:
            record_event(
                actor=actor,
                verb="report.reveal_granted",
                target=grant,
                payload={"user_id": user.pk, "user": str(user), "unit_id": unit.pk},
            )
            added = True
    return added


@transaction.atomic
def revoke_reveal(*, actor, scope: str, grant_id: int) -> None:
    """Withdraw a grant: `scope` "report" (a guardian row of `reveal_reporter`) or "unit"
    (a RevealGrant). The holder's next reveal is refused; the event keeps who and what."""
    reason = grant_refusal(actor)
    if reason:
        raise StepForbidden(reason)
    gone = ValidationError(_("该授权不存在或已被撤销，请刷新页面。"))
    if scope == "report":
        row = (
            ReportUserObjectPermission.objects.select_for_update()
            .select_related("user", "content_object")
            .filter(pk=grant_id, permission__codename="reveal_reporter")
            .first()
        )
        if row is None:
            raise gone
        target, payload = row.content_object, {"user_id": row.user_id, "user": str(row.user)}
    elif scope == "unit":
        row = (
            RevealGrant.objects.select_for_update()
            .select_related("user")
            .filter(pk=grant_id)
            .first()
        )
        if row is None:
            raise gone
        target = row
        payload = {"user_id": row.user_id, "user": str(row.user), "unit_id": row.unit_id}
    else:
        raise gone
    record_event(actor=actor, verb="report.reveal_revoked", target=target, payload=payload)
    row.delete()


def reports_by_phone(phone: str):
    """The reports whose reporter gave `phone` (by its keyed hash; the clear number is
    never stored or compared)."""
    digest = crypto.phone_hash(phone)
    if not digest:
        return Report.objects.none()
    return Report.objects.filter(identity__phone_hash=digest)
