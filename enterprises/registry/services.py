from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from enterprises.duties.judging import judge_enterprise
from enterprises.permissions import Action, refusal, require
from enterprises.registry.models import Enterprise
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
# the fields the compliance checks read, or the follow-up list copies (name, town, industry)
JUDGED_FIELDS = {"name", "town", "industry", "employee_count", "is_high_risk"}


@transaction.atomic
def register_enterprise(*, actor, **fields) -> Enterprise:
    """Add an enterprise to the registry. `fields` are REGISTRY_FIELDS (validated here)."""
    enterprise = Enterprise(**fields)
    if actor is not None:  # None: the system (demo data, migrations)
        require(actor, Action.REGISTER, enterprise)
    enterprise.full_clean()
    enterprise.save()
    record_event(
        actor=actor,
        verb="enterprise.registered",
        target=enterprise,
        payload={"values": snapshot(enterprise, REGISTRY_FIELDS)},
    )
    judge_enterprise(enterprise)
    return enterprise


@transaction.atomic
def update_enterprise(*, actor, enterprise: Enterprise, **fields) -> Enterprise:
    """Change registry fields; the audit event records each old and new value."""
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require(actor, Action.EDIT, locked)
    if "town" in fields:
        require(actor, Action.MOVE_TO_TOWN, fields["town"])
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
        if JUDGED_FIELDS & changes.keys():
            judge_enterprise(locked)
    return locked


@transaction.atomic
def grant_expert_access(*, actor, expert, enterprise: Enterprise) -> None:
    """Let an expert see one enterprise (专家诊查). County office only."""
    from guardian.shortcuts import assign_perm

    require(actor, Action.GRANT_EXPERT, enterprise)
    reason = refusal(expert, Action.RECEIVE_GRANT)
    if reason is not None:
        raise ValidationError(reason)
    assign_perm("enterprises.view_enterprise", expert, enterprise)
    record_event(
        actor=actor,
        verb="enterprise.expert_granted",
        target=enterprise,
        payload={"expert": str(expert), "expert_id": expert.pk},
    )
