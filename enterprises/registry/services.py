from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from enterprises.permissions import can_edit_enterprise, can_register_enterprise
from safetyportal.audit.services import changes_between, record_event, snapshot

REGISTRY_FIELDS = [
    "name",
    "uscc",
    "town",
    "industry",
    "address",
    "employee_count",
    "scale",
    "is_high_risk",
    "status",
    "legal_representative",
    "principal_name",
    "principal_phone",
]


@transaction.atomic
def register_enterprise(*, actor, **fields) -> Enterprise:
    """Add an enterprise to the registry. `fields` are REGISTRY_FIELDS (validated here)."""
    if actor is not None and not can_register_enterprise(actor):
        raise PermissionDenied(_("您没有登记企业的权限。"))
    if actor is not None and actor.role == "town" and fields["town"].pk != actor.organisation_id:
        raise PermissionDenied(_("镇街只能登记本镇街的企业。"))
    enterprise = Enterprise(**fields)
    enterprise.full_clean()
    enterprise.save()
    record_event(
        actor=actor,
        verb="enterprise.registered",
        target=enterprise,
        payload={"values": snapshot(enterprise, REGISTRY_FIELDS)},
    )
    return enterprise


@transaction.atomic
def update_enterprise(*, actor, enterprise: Enterprise, **fields) -> Enterprise:
    """Change registry fields; the audit event records each old and new value."""
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not can_edit_enterprise(actor, locked):
        raise PermissionDenied(_("您没有修改该企业信息的权限。"))
    if actor.role == "town" and "town" in fields and fields["town"].pk != actor.organisation_id:
        raise PermissionDenied(_("镇街不能把企业划到其他镇街，请联系县安委办。"))
    before = snapshot(locked, REGISTRY_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    changes = changes_between(before, snapshot(locked, REGISTRY_FIELDS))
    if changes:
        locked.save(update_fields=[*fields.keys(), "updated_at"])
        record_event(
            actor=actor, verb="enterprise.updated", target=locked, payload={"changes": changes}
        )
    return locked


@transaction.atomic
def grant_expert_access(*, actor, expert, enterprise: Enterprise) -> None:
    """Let an expert see one enterprise (专家诊查). County office only."""
    from guardian.shortcuts import assign_perm

    if not (actor.is_active and actor.role == "county_office"):
        raise PermissionDenied(_("只有县安委办可以授权专家。"))
    if expert.role != "expert":
        raise ValueError("only experts receive per-enterprise grants")
    assign_perm("enterprises.view_enterprise", expert, enterprise)
    record_event(
        actor=actor,
        verb="enterprise.expert_granted",
        target=enterprise,
        payload={"expert": str(expert), "expert_id": expert.pk},
    )
