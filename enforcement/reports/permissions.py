"""The one door to whistleblower reports and who may do what to them (role names are
compared here and in enforcement/permissions.py only).

Visibility: the county office and leaders see every report; a department or a town the
reports it handles (assigned to it); enterprises and experts none (a report about a company
must never reach it). Revealing the reporter is not a role's right: only a named user with
an explicit grant (per report: django-guardian's `reveal_reporter`; per unit: RevealGrant)
may, by a deliberate POST, and each reveal is audited (services.reveal_identity)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from enforcement.permissions import case_create_refusal, is_county_office
from enforcement.reports.models import (
    Report,
    ReportQuerySet,
    ReportUserObjectPermission,
    RevealGrant,
)
from enterprises.permissions import NOTHING
from safetyportal.accounts.models import Role

COUNTY_STEPS = frozenset(
    {"accept", "reject", "assign", "extend", "merge", "approve_reward", "pay_reward"}
)
UNIT_STEPS = frozenset({"verify", "feedback", "reward", "to_hazard", "to_case"})


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def report_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role in (Role.TOWN, Role.DEPARTMENT) and user.organisation_id:
        return Q(unit_id=user.organisation_id)
    return NOTHING


def install_report_scope() -> None:
    ReportQuerySet.scope = staticmethod(report_scope)


def get_report_for_user(user, pk) -> Report:
    try:
        return (
            Report.objects.visible_to(user)
            .select_related("unit", "town", "industry", "enterprise", "merged_into")
            .get(pk=pk)
        )
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reports_refusal(user) -> str | None:
    """May `user` open the report pages at all?"""
    if _active(user) and (user.sees_whole_county or user.role in (Role.TOWN, Role.DEPARTMENT)):
        return None
    return _("只有县安委办、领导和承办单位可以查看举报。")


def report_refusal(user, report: Report, step: str) -> str | None:
    """May `user` take `step` on `report` (already visible to them)? Receiving, routing,
    extending and approving rewards are the county office's; verifying, the outcome,
    feedback and the conversion are the handling unit's (or the county office's)."""
    if not _active(user) or user.is_read_only:
        return _("领导账号只能查看举报，不能办理。")
    if step in COUNTY_STEPS:
        if not is_county_office(user):
            return _("举报的受理、交办、延期、合并和奖励审批由县安委办办理。")
        return None
    handles = user.organisation_id is not None and user.organisation_id == report.unit_id
    if step == "to_case":
        if not handles:
            return _("只有承办单位的执法人员可以把举报转为行政处罚案件。")
        return case_create_refusal(user)
    if is_county_office(user) or handles:
        return None
    return _("只有承办单位或县安委办可以办理这一步。")


def may_reveal(user, report: Report) -> bool:
    """An explicit grant on this report, or on the unit handling it; never a role."""
    if not _active(user) or report.is_anonymous:
        return False
    by_report = ReportUserObjectPermission.objects.filter(
        user=user, content_object=report, permission__codename="reveal_reporter"
    )
    by_unit = RevealGrant.objects.filter(user=user, unit_id=report.unit_id)
    return by_report.exists() or (report.unit_id is not None and by_unit.exists())


def reveal_refusal(user, report: Report) -> str | None:
    if report.is_anonymous:
        return _("这是匿名举报，没有举报人身份信息。")
    if not may_reveal(user, report):
        return _("您没有查看举报人身份的授权（须由县安委办按举报或按单位单独授权）。")
    return None


def grant_refusal(user) -> str | None:
    if not is_county_office(user):
        return _("只有县安委办可以授权查看举报人身份。")
    return None
