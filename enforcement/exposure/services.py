"""Publishing closed cases on the exposure board and withdrawing them: keyword-only,
atomic, locked, audited. Refusals raise ValidationError (bad input, in Chinese) or
PermissionDenied (not the county office) before anything is written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement import rules
from enforcement.authority.models import PartyKind
from enforcement.cases.models import Case, CaseStatus
from enforcement.exposure.models import ExposedCase
from enforcement.permissions import exposure_refusal
from safetyportal.audit.services import record_event

FACTS_SUMMARY_LENGTH = 120


def public_party_name(case: Case) -> str:
    """Organisations are named in full; a person only by the family name's first character
    (张三丰 -> 张**), so the board never publishes a private person's name."""
    name = case.party_name.strip()
    if case.party_kind == PartyKind.ORGANISATION or not name:
        return name
    return name[0] + "*" * max(2, len(name) - 1)


def facts_summary(facts: str) -> str:
    text = " ".join(facts.split())
    if len(text) <= FACTS_SUMMARY_LENGTH:
        return text
    return text[: FACTS_SUMMARY_LENGTH - 1] + "…"


def publication_refusal(case: Case) -> str | None:
    """Why `case` may not be published, or None."""
    if case.status != CaseStatus.CLOSED:
        return _("案件%(case)s尚未结案，只有已结案的案件可以公开曝光。") % {"case": case}
    if not (case.decision_number and case.decided_on and case.penalty_kind):
        return _("案件%(case)s没有处罚决定书（文号、日期和处罚种类），不能公开。") % {"case": case}
    exposure = getattr(case, "exposure", None)
    if exposure is not None and exposure.is_public:
        return _("案件%(case)s已在曝光台公开，不能重复公开。") % {"case": case}
    return None


def _public_facts(case: Case) -> str:
    """The facts as published: a private person's full name, wherever the officer wrote it
    into the facts, is masked as on the party line."""
    facts = case.facts
    name = case.party_name.strip()
    if case.party_kind != PartyKind.ORGANISATION and len(name) > 1:
        facts = facts.replace(name, public_party_name(case))
    return facts_summary(facts)


def _snapshot(case: Case) -> dict:
    return {
        "party_name": public_party_name(case),
        "town": case.town,
        "town_name": case.town.name,
        "item_name": case.item.name,
        "facts_summary": _public_facts(case),
        "penalty_kind": case.penalty_kind,
        "fine": case.fine,
        "decision_number": case.decision_number,
        "decided_on": case.decided_on,
        "authority": rules.issuing_authority(unit=case.unit, item=case.item),
    }


def _check_actor(actor) -> None:
    reason = exposure_refusal(actor)
    if reason:
        raise PermissionDenied(reason)


def publish_case(*, actor, case_id: int) -> ExposedCase:
    """Publish closed case `case_id` on the exposure board: copy what is public into its
    snapshot. A case withdrawn earlier is published again with a fresh snapshot (its first
    publication stays in the audit trail)."""
    _check_actor(actor)
    with transaction.atomic():
        try:
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("unit", "town", "item", "item__delegating_department")
                .get(pk=case_id)
            )
        except (Case.DoesNotExist, ValueError, TypeError):
            raise ValidationError(_("没有这个案件。")) from None
        reason = publication_refusal(case)
        if reason:
            raise ValidationError(reason)
        now = timezone.now()
        exposure, created = ExposedCase.objects.update_or_create(
            case=case,
            defaults={
                **_snapshot(case),
                "published_at": now,
                "published_by": actor,
                "withdrawn_at": None,
                "withdrawn_by": None,
                "withdrawal_reason": "",
            },
        )
        record_event(
            actor=actor,
            verb="enforcement.case_published",
            target=case,
            payload={"exposure": exposure.pk, "again": not created},
        )
    return exposure


def withdraw_case(*, actor, exposure_id: int, reason: str) -> ExposedCase:
    """Take a published case off the board at once (e.g. its decision was annulled: 行政处罚法
    Art. 48 asks for withdrawal within 3 days). The record of publication is kept."""
    _check_actor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回原因，例如“处罚决定已被依法撤销”。")})
    with transaction.atomic():
        try:
            exposure = ExposedCase.objects.select_for_update().get(pk=exposure_id)
        except (ExposedCase.DoesNotExist, ValueError, TypeError):
            raise ValidationError(_("没有这条曝光记录。")) from None
        if not exposure.is_public:
            raise ValidationError(
                _("该案件已于%(when)s撤回，不能重复撤回。")
                % {"when": timezone.localtime(exposure.withdrawn_at).strftime("%Y-%m-%d %H:%M")}
            )
        exposure.withdrawn_at = timezone.now()
        exposure.withdrawn_by = actor
        exposure.withdrawal_reason = reason[:300]
        exposure.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record_event(
            actor=actor,
            verb="enforcement.case_withdrawn",
            target=exposure.case,
            payload={"exposure": exposure.pk, "reason": exposure.withdrawal_reason},
        )
    return exposure
