"""Ledger records are never deleted (docs/decisions/0046).

Every model of the domain apps (and the audit log) is a *ledger* model unless it is listed
in `NOT_LEDGER` below with the reason it may be deleted (reference data the county office
keeps in the admin, rows a computation replaces, per-object permission rows). A new model
joins the ledger by itself.

A ledger model refuses deletion at the ORM: a `pre_delete` receiver raises
`LedgerDeleteRefused` for `instance.delete()`, `queryset.delete()` and every cascade that
reaches a ledger row (a receiver also turns Django's fast delete off for these models, so
no row slips past it). A record entered by mistake is *voided* with a reason instead
(`voided_at`, `voided_by`, `void_reason`, audited, left out of lists).

This module is platform code: it names the domain models by label only, never imports them.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_delete

LEDGER_APPS = ("audit", "responsibilities", "enterprises", "hazards", "enforcement", "dashboard")

NOT_LEDGER: dict[str, str] = {
    # reference data, kept by the county office in the admin
    "responsibilities.CommitteeMembership": "reference data: a committee's member units",
    "responsibilities.SupervisionMap": "reference data: the year's map, before it is used",
    "responsibilities.SupervisionAssignment": "reference data: a line of the year's map",
    "responsibilities.ReminderTopic": "reference data: topics of the weekly reminder",
    "enterprises.AssessmentPeriod": "reference data: the self-assessment year's due date",
    "enterprises.GradeBand": "reference data: grade bounds",
    "enterprises.InsuranceMandate": "reference data: industries that must insure",
    "enterprises.SafetyCostObligation": "reference data: industries that must extract",
    "enterprises.SafetyCostRate": "reference data: extraction rates",
    "enterprises.TemplateItem": "reference data: an item of a checklist version",
    "hazards.RiskBand": "reference data: the LEC colour bands (the admin refuses deletion)",
    "enforcement.ChecklistItem": "reference data: an item of an inspection checklist",
    # rows a computation writes and replaces as a whole
    "responsibilities.IndicatorScore": "computed: an appraisal computation's score rows",
    "responsibilities.ScoreEvidence": "computed: the evidence lines of a computed score",
    "enterprises.ComplianceStatus": "computed: stored compliance results (ADR 0012)",
    # permission rows: a grant is withdrawn by removing it (the grant itself is audited)
    "enterprises.EnterpriseUserObjectPermission": "permission row (django-guardian)",
    "enforcement.ReportUserObjectPermission": "permission row (django-guardian)",
    "enforcement.RevealGrant": "permission row: who may reveal reporters of a unit",
    # entries of a plan, removed (audited on the plan) only while no work was done on them
    "enforcement.PlanTarget": "plan entry: removed only while not done, audited on the plan",
    "enforcement.TownPairing": "plan entry: removed only while it has no visits, audited",
}


class LedgerDeleteRefused(Exception):
    """Raised when anything tries to delete a ledger record: void it with a reason."""


def is_ledger(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.abstract or meta.proxy or meta.auto_created:  # auto_created: an M2M through table
        return False
    return meta.app_label in LEDGER_APPS and meta.label not in NOT_LEDGER


def ledger_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_ledger(model)]


def refuse_delete(sender, instance, **kwargs) -> None:
    raise LedgerDeleteRefused(
        f"{sender._meta.label} #{instance.pk} is a ledger record: void it with a reason, "
        "never delete it (docs/decisions/0046)"
    )


def guard_ledger() -> None:
    """Connect the refusal to every ledger model (called once from CoreConfig.ready)."""
    for model in ledger_models():
        pre_delete.connect(
            refuse_delete, sender=model, dispatch_uid=f"ledger-guard-{model._meta.label}"
        )
