"""Who may see, request and issue stored reports: one door for the files.

Leaders and the county office see every report (drafts too); a town or department official
sees the reports about their own unit and the county-wide ones their role is shared with
(the issued bulletin), never a draft; enterprises and experts see none.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from safetyportal.accounts.models import Role
from safetyportal.core.reports import ReportKind, registered
from safetyportal.dashboard.models import Report, ReportQuerySet, ReportStatus

UNIT_ROLES = (Role.TOWN, Role.DEPARTMENT)
NOTHING = Q(pk__in=[])


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def report_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role not in UNIT_ROLES:
        return NOTHING
    kinds = registered()
    shared = [kind.key for kind in kinds if user.role in kind.shared_with]
    visible = Q(unit__isnull=True, kind__in=shared)
    # a kind with its own readers (the appraisal report, ADR 0047) replaces "my unit's"
    gated = [(kind.key, kind.unit_readers) for kind in kinds if kind.unit_readers is not None]
    if user.organisation_id:
        visible |= Q(unit_id=user.organisation_id) & ~Q(kind__in=[key for key, _ in gated])
    for key, readers in gated:
        visible |= Q(kind=key, unit__isnull=False) & readers(user)
    return visible & ~Q(status=ReportStatus.DRAFT)


def install_scopes() -> None:
    """Report.objects.visible_to uses this scope; called from DashboardConfig.ready."""
    ReportQuerySet.scope = staticmethod(report_scope)


def may_use_reports(user) -> bool:
    """Whether the report pages mean anything to `user` (officials)."""
    return _active(user) and (user.sees_whole_county or user.role in UNIT_ROLES)


def may_issue(user, kind: ReportKind) -> bool:
    """Issuing a numbered document is the county office's act (leaders read)."""
    return _active(user) and kind.issued and (user.is_superuser or user.role == Role.COUNTY_OFFICE)


def get_report_for_user(user, pk) -> Report:
    try:
        return Report.objects.visible_to(user).select_related("unit", "requested_by").get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
