"""The write half of the role matrix (issue 14 item 1): who counts as a wrong role for a
record, and how a write that changed nothing is told from one that changed something.

A wrong role for a record (per the oracle, never the app's scope code):
- every persona the oracle hides the record from, and anonymous;
- the leader: county-wide but read-only (mission.md §1) - everywhere except its own
  notification (marking one's own notice read is the recipient's);
- the enterprise and expert personas on records only officials act on (OFFICIAL_ONLY),
  even where the oracle lets them read (an enterprise reads its own case, not decides it).
Per URL and persona one record is sampled (the first the persona may not change), which
keeps the sweep within its time budget while every URL x persona pair gets a cell.
"""

from __future__ import annotations

from django.apps import apps

from safetyportal.audit.models import AuditEvent
from tests.security.matrix_urls import PERSONAS, records
from tests.security.oracle import sees

OFFICIAL_ONLY = {
    "enforcement.Case",
    "enforcement.Accident",
    "enforcement.Report",
    "enforcement.ReportAttachment",
    "enforcement.InspectionPlan",
    "enforcement.PlanTarget",
    "enforcement.TownPairing",
    "enforcement.TownAuthorisation",
    "enforcement.OfficerCertificate",
    "responsibilities.DutyList",
    "responsibilities.DutyItem",
    "responsibilities.Interview",
    "responsibilities.AppraisalResult",
    "dashboard.Report",
}
OUTSIDERS = ("enterprise", "expert", "ungranted_expert")
# POSTs that only render what the persona may already read, open to everyone who sees the
# record (enforcement/cases/services.request_case_file: "anyone who may see the case may ask")
READ_LIKE = {"enforcement:case_file_request", "/api/v1/cases/{id}/case-file/"}
# leaders are read-only except that they ask for the reports they download (mission.md §1:
# "downloads appraisal PDFs"; issue 12: "leaders get all of them")
LEADER_REQUESTS = {"responsibilities:appraisal_result_report", "reports:regenerate"}


def wrong_role(world, persona: str, obj, *, where: str = "") -> bool:
    label = obj._meta.label
    if persona == "anonymous" or not sees(world, persona, obj):
        return True
    if where in READ_LIKE:
        return False
    if persona == "leader":
        return label != "notifications.Notification" and where not in LEADER_REQUESTS
    return persona in OUTSIDERS and label in OFFICIAL_ONLY


def samples(world, label: str, where: str = "") -> dict[str, object]:
    """persona -> one record of `label` that persona may not change through `where` (a URL
    name or an API path), if there is one."""
    rows = records(label)
    chosen = {}
    for persona in PERSONAS:
        for obj in rows:
            if wrong_role(world, persona, obj, where=where):
                chosen[persona] = obj
                break
    return chosen


def snapshot(obj) -> tuple:
    """The record's row (every concrete field), its table's row count and the audit trail's
    length: a write that went through changes at least one of them."""
    model = apps.get_model(obj._meta.label)
    names = [f.attname for f in model._meta.concrete_fields]
    row = model._base_manager.filter(pk=obj.pk).values(*names).first()
    return row, model._base_manager.count(), AuditEvent.objects.count()


def difference(before: tuple, after: tuple) -> str:
    row_before, count_before, audit_before = before
    row_after, count_after, audit_after = after
    parts = []
    if row_before != row_after:
        changed = sorted(
            k for k in (row_before or {}) if (row_after or {}).get(k) != row_before.get(k)
        )
        parts.append(f"row changed ({', '.join(changed) or 'deleted'})")
    if count_before != count_after:
        parts.append(f"rows {count_before} -> {count_after}")
    if audit_before != audit_after:
        parts.append(f"audit events {audit_before} -> {audit_after}")
    return "; ".join(parts)
