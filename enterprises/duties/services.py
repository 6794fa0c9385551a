"""Writes of statutory-duty records: keyword-only, atomic, audited on the enterprise; each
judges the enterprise's compliance again in the same transaction (the stored results the
follow-up list reads, enterprises/duties/judging.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from enterprises.duties.judging import judge_enterprise
from enterprises.duties.models import DUTY_MODELS
from enterprises.permissions import Action, get_duty_record_for_user, require
from safetyportal.audit.services import record_event, snapshot


def _stored_label(kind: str) -> str:
    """The kind's label as the audit log keeps it: in the default language (Chinese),
    whatever language the actor uses."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(DUTY_MODELS[kind]._meta.verbose_name)


def _fields(record) -> list[str]:
    skip = {"id", "enterprise", "created_at", "file"}
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
def delete_duty_record(*, actor, enterprise, kind: str, record_id: int) -> None:
    """Remove a record entered by mistake; the audit event keeps what it said. A record
    the actor cannot see, or of another enterprise, is 404."""
    require(actor, Action.DELETE_DUTY, enterprise)
    record = get_duty_record_for_user(
        actor, DUTY_MODELS[kind], record_id, enterprise_id=enterprise.pk, for_update=True
    )
    values = snapshot(record, _fields(record))
    label = str(record)
    record.delete()
    record_event(
        actor=actor,
        verb="enterprise.duty_removed",
        target=enterprise,
        payload={"kind": _stored_label(kind), "record": label, "values": values},
    )
    judge_enterprise(enterprise)
