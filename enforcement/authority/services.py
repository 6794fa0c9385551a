"""Writes of the legal frame: importing the catalogue, keeping the towns' delegations and
the officers' certificates. Keyword-only, one transaction, one audit event per change.

A town's `Organisation.general_procedure_authorised` (read by the responsibilities pages)
follows the delegation in force: enforcement sits above responsibilities, so it keeps the
flag in step whenever a delegation is saved (and `sync_procedure_flags` catches expiries).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.authority.models import DelegatedItem, OfficerCertificate, TownAuthorisation
from enforcement.permissions import authority_refusal, may_hold_certificate
from enforcement.rules import authorisation_in_force
from responsibilities.models import Organisation
from safetyportal.audit.services import record_event, record_events
from safetyportal.workflow.errors import StepForbidden

ITEM_FIELDS = (
    "name",
    "delegating_department_id",
    "legal_basis",
    "penalty_basis",
    "allows_warning",
    "min_fine",
    "max_fine",
    "allows_simple",
    "allows_general",
)


def _require(actor, action: str) -> None:
    if actor is None:  # management commands and the demo
        return
    reason = authority_refusal(actor, action)
    if reason:
        raise StepForbidden(reason)


@transaction.atomic
def import_delegated_items(*, actor, rows: list[dict]) -> tuple[int, int]:
    """Create or update (by code) the checked rows of `importing.check_records`. Returns
    (created, updated); an unchanged item is not touched."""
    _require(actor, "manage_catalogue")
    existing = {
        item.code: item
        for item in DelegatedItem.objects.select_for_update().filter(
            code__in=[row["code"] for row in rows]
        )
    }
    created: list[DelegatedItem] = []
    changed: list[DelegatedItem] = []
    next_order = (
        DelegatedItem.objects.order_by("-sort_order").values_list("sort_order", flat=True).first()
        or 0
    )
    for row in rows:
        item = existing.get(row["code"])
        if item is None:
            next_order += 1
            item = DelegatedItem(code=row["code"], sort_order=next_order)
            for name in ITEM_FIELDS:
                setattr(item, name, row[name])
            created.append(item)
            continue
        differs = [name for name in ITEM_FIELDS if getattr(item, name) != row[name]]
        if differs or not item.is_active:
            for name in ITEM_FIELDS:
                setattr(item, name, row[name])
            item.is_active = True
            changed.append(item)
    DelegatedItem.objects.bulk_create(created)
    if changed:
        DelegatedItem.objects.bulk_update(changed, [*ITEM_FIELDS, "is_active"])
    record_events(
        actor=actor,
        verb="delegated_item.imported",
        events=[(item, {"created": True}) for item in created]
        + [(item, {"created": False}) for item in changed],
    )
    return len(created), len(changed)


def _check_authorisation(*, town, document_number, valid_from, valid_until, exclude_pk=None):
    if not town.is_town_level:
        raise ValidationError({"town": _("委托授权只能登记给镇（街道）。")})
    if valid_from > valid_until:
        raise ValidationError({"valid_until": _("委托截止日不能早于起始日。")})
    clash = TownAuthorisation.objects.filter(town=town, document_number=document_number)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "document_number": _("%(town)s已登记过文号为 %(number)s 的委托书。")
                % {"town": town.name, "number": document_number}
            }
        )


@transaction.atomic
def create_authorisation(
    *,
    actor,
    town: Organisation,
    document_number: str,
    procedure_level: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    items,
    note: str = "",
) -> TownAuthorisation:
    _require(actor, "manage_authorisations")
    Organisation.objects.select_for_update().filter(pk=town.pk).first()
    _check_authorisation(
        town=town, document_number=document_number, valid_from=valid_from, valid_until=valid_until
    )
    authorisation = TownAuthorisation.objects.create(
        town=town,
        document_number=document_number,
        procedure_level=procedure_level,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
    )
    item_ids = sorted({item.pk for item in items})
    authorisation.items.set(item_ids)
    record_event(
        actor=actor,
        verb="town_authorisation.created",
        target=authorisation,
        payload={
            "town": town.code,
            "procedure_level": procedure_level,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "items": len(item_ids),
        },
    )
    sync_procedure_flag(town_id=town.pk)
    return authorisation


@transaction.atomic
def update_authorisation(
    *,
    actor,
    authorisation_id: int,
    document_number: str,
    procedure_level: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    items,
    note: str = "",
) -> TownAuthorisation:
    _require(actor, "manage_authorisations")
    authorisation = (
        TownAuthorisation.objects.select_for_update()
        .select_related("town")
        .get(pk=authorisation_id)
    )
    _check_authorisation(
        town=authorisation.town,
        document_number=document_number,
        valid_from=valid_from,
        valid_until=valid_until,
        exclude_pk=authorisation.pk,
    )
    before = set(authorisation.items.values_list("pk", flat=True))
    after = {item.pk for item in items}
    changes = {}
    for name, value in (
        ("document_number", document_number),
        ("procedure_level", procedure_level),
        ("valid_from", valid_from),
        ("valid_until", valid_until),
        ("note", note),
    ):
        if getattr(authorisation, name) != value:
            changes[name] = [getattr(authorisation, name), value]
            setattr(authorisation, name, value)
    if changes:
        authorisation.save(update_fields=[name for name in changes])
    if before != after:
        authorisation.items.set(sorted(after))
        changes["items"] = {"added": len(after - before), "removed": len(before - after)}
    if changes:
        record_event(
            actor=actor, verb="town_authorisation.updated", target=authorisation, payload=changes
        )
    sync_procedure_flag(town_id=authorisation.town_id)
    return authorisation


def sync_procedure_flag(*, town_id: int, day: datetime.date | None = None) -> bool:
    """Set the town's `general_procedure_authorised` from the delegation in force on `day`
    (today). Returns whether it changed."""
    day = day or timezone.localdate()
    authorisation = authorisation_in_force(town_id, day)
    general = authorisation is not None and authorisation.allows_general
    return bool(
        Organisation.objects.filter(pk=town_id)
        .exclude(general_procedure_authorised=general)
        .update(general_procedure_authorised=general)
    )


def sync_procedure_flags(*, day: datetime.date | None = None) -> int:
    """Every town's flag (a delegation that expired overnight withdraws the general
    procedure). Safe to run twice; returns how many towns changed."""
    return sum(
        sync_procedure_flag(town_id=pk, day=day)
        for pk in Organisation.objects.towns().values_list("pk", flat=True)
    )


def _check_holder(officer) -> None:
    if not may_hold_certificate(officer):
        raise ValidationError({"officer": _("执法证只能登记给镇街或县直部门在职的工作人员。")})


@transaction.atomic
def register_certificate(
    *,
    actor,
    officer,
    number: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
) -> OfficerCertificate:
    _require(actor, "manage_certificates")
    _check_holder(officer)
    if issued_on > expires_on:
        raise ValidationError({"expires_on": _("有效期至不能早于发证日期。")})
    if OfficerCertificate.objects.filter(number=number).exists():
        raise ValidationError({"number": _("执法证号 %(number)s 已登记。") % {"number": number}})
    certificate = OfficerCertificate.objects.create(
        officer=officer, number=number, issued_on=issued_on, expires_on=expires_on
    )
    record_event(
        actor=actor,
        verb="officer_certificate.registered",
        target=certificate,
        payload={"officer": officer.pk, "issued_on": issued_on, "expires_on": expires_on},
    )
    return certificate


@transaction.atomic
def renew_certificate(
    *, actor, certificate_id: int, issued_on: datetime.date, expires_on: datetime.date
) -> OfficerCertificate:
    """A renewed certificate keeps its number with new dates (换证)."""
    _require(actor, "manage_certificates")
    certificate = OfficerCertificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.revoked_on is not None:
        raise ValidationError(_("已注销的执法证不能换发，请重新登记新证。"))
    if issued_on > expires_on:
        raise ValidationError({"expires_on": _("有效期至不能早于发证日期。")})
    before = [certificate.issued_on, certificate.expires_on]
    certificate.issued_on, certificate.expires_on = issued_on, expires_on
    certificate.save(update_fields=["issued_on", "expires_on"])
    record_event(
        actor=actor,
        verb="officer_certificate.renewed",
        target=certificate,
        payload={"before": before, "after": [issued_on, expires_on]},
    )
    return certificate


@transaction.atomic
def revoke_certificate(
    *, actor, certificate_id: int, day: datetime.date | None = None
) -> OfficerCertificate:
    _require(actor, "manage_certificates")
    certificate = OfficerCertificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.revoked_on is not None:
        raise ValidationError(_("该执法证已于 %(day)s 注销。") % {"day": certificate.revoked_on})
    certificate.revoked_on = day or timezone.localdate()
    certificate.save(update_fields=["revoked_on"])
    record_event(
        actor=actor,
        verb="officer_certificate.revoked",
        target=certificate,
        payload={"revoked_on": certificate.revoked_on},
    )
    return certificate
