"""Writes of statutory-duty records: keyword-only, atomic, audited on the enterprise."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from enterprises.duty_forms import DUTY_KINDS
from enterprises.permissions import can_maintain_duties
from safetyportal.audit.services import record_event, snapshot


def _stored_label(kind: str) -> str:
    """The kind's label as the audit log keeps it: in the default language (Chinese),
    whatever language the actor uses."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(DUTY_KINDS[kind].label)


def _fields(record) -> list[str]:
    skip = {"id", "enterprise", "created_at", "file"}
    return [f.name for f in record._meta.concrete_fields if f.name not in skip]


@transaction.atomic
def add_duty_record(*, actor, enterprise, kind: str, values: dict):
    """Add one duty record of `kind` (a DUTY_KINDS slug) for the actor's own enterprise."""
    if not can_maintain_duties(actor, enterprise):
        raise PermissionDenied(gettext("只有本企业的管理人员可以填报法定职责记录。"))
    record = DUTY_KINDS[kind].model(enterprise=enterprise, **values)
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
    return record


@transaction.atomic
def delete_duty_record(*, actor, enterprise, kind: str, record_id: int) -> None:
    """Remove a record entered by mistake; the audit event keeps what it said."""
    if not can_maintain_duties(actor, enterprise):
        raise PermissionDenied(gettext("只有本企业的管理人员可以删除法定职责记录。"))
    model = DUTY_KINDS[kind].model
    record = model.objects.select_for_update().get(enterprise=enterprise, pk=record_id)
    values = snapshot(record, _fields(record))
    label = str(record)
    record.delete()
    record_event(
        actor=actor,
        verb="enterprise.duty_removed",
        target=enterprise,
        payload={"kind": _stored_label(kind), "record": label, "values": values},
    )
