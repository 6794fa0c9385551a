"""Writes of statutory-duty records: keyword-only, atomic, audited on the enterprise; each
judges the enterprise's compliance again in the same transaction (the stored results the
follow-up list reads, enterprises/duties/judging.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enterprises.duties.judging import judge_enterprise
from enterprises.duties.models import DUTY_MODELS
from enterprises.permissions import Action, get_duty_record_for_user, require
from safetyportal.audit.services import record_event, snapshot

VOID_REASON_MAX = 200


def _stored_label(kind: str) -> str:
    """The kind's label as the audit log keeps it: in the default language (Chinese),
    whatever language the actor uses."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(DUTY_MODELS[kind]._meta.verbose_name)


def _fields(record) -> list[str]:
    skip = {"id", "enterprise", "created_at", "file", "voided_at", "voided_by", "void_reason"}
    return [f.name for f in record._meta.concrete_fields if f.name not in skip]


@transaction.atomic
def add_duty_record(*, actor, enterprise, kind: str, values: dict):
    """Add one duty record of `kind` (a DUTY_MODELS slug) for the actor's own enterprise;
    `values` are the kind's form's cleaned data."""
    require(actor, Action.ADD_DUTY, enterprise)
    record = DUTY_MODELS[kind](enterprise=enterprise, **values)
    record.full_clean()
    record.save()
    record_event(
        actor=actor,
        verb="enterprise.duty_added",
        target=enterprise,
        payload={
            "kind": _stored_label(kind),
            "record": str(record),
            "values": snapshot(record, _fields(record)),
        },
    )
    judge_enterprise(enterprise)
    return record


@transaction.atomic
def void_duty_record(*, actor, enterprise, kind: str, record_id: int, reason: str) -> None:
    """Void a record entered by mistake, with the reason: it is kept (ledger, ADR 0046)
    but no longer shown or counted. A record the actor cannot see, of another
    enterprise, or already voided, is 404."""
    require(actor, Action.VOID_DUTY, enterprise)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写作废原因。")})
    if len(reason) > VOID_REASON_MAX:
        raise ValidationError(
            {"reason": _("作废原因不能超过 %(max)s 个字。") % {"max": VOID_REASON_MAX}}
        )
    record = get_duty_record_for_user(
        actor, DUTY_MODELS[kind], record_id, enterprise_id=enterprise.pk, for_update=True
    )
    record.voided_at, record.voided_by, record.void_reason = timezone.now(), actor, reason
    record.save(update_fields=["voided_at", "voided_by", "void_reason"])
    record_event(
        actor=actor,
        verb="enterprise.duty_voided",
        target=enterprise,
        payload={
            "kind": _stored_label(kind),
            "record": str(record),
            "record_id": record.pk,
            "reason": reason,
            "values": snapshot(record, _fields(record)),
        },
    )
    judge_enterprise(enterprise)
