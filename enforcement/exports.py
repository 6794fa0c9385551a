"""The Excel exports of the enforcement lists: the same scope and filters as each list page
(safetyportal/core/exports.xlsx_download), a few lines each, GET only."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case as SqlCase
from django.db.models import CharField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enforcement.accidents.filters import AccidentFilter
from enforcement.accidents.models import Accident
from enforcement.authority import views as authority_views
from enforcement.cases.filters import CaseFilter
from enforcement.cases.models import Case
from enforcement.exposure import views as exposure_views
from enforcement.inspections import selectors as inspection_selectors
from enforcement.inspections.filters import InspectionFilter
from enforcement.inspections.forms import UnfollowedYearForm
from enforcement.inspections.models import Inspection
from enforcement.permissions import (
    get_plan_for_user,
    inspection_refusal,
    require_authority,
    sees_repeat_offenders,
)
from enforcement.plans import selectors as plan_selectors
from enforcement.plans import views as plan_views
from enforcement.repeat_offenders import closure_among, flagged_counts, flagged_enterprises
from safetyportal.core.exports import rows_download, xlsx_download


@require_GET
def accident_export(request):
    rows = AccidentFilter(request.GET, queryset=Accident.objects.visible_to(request.user)).qs
    columns = [
        "occurred_at",
        "party_name",
        ("town__name", "镇街"),
        ("industry__name", "行业领域"),
        "place",
        "deaths",
        "serious_injuries",
        "missing",
        "direct_loss",
        "grade",
        "is_late",
        "status",
        ("unit__name", "报告单位"),
        "reported_at",
        "closed_on",
    ]
    return xlsx_download(rows, columns, sheet="生产安全事故", filename="生产安全事故")


@require_GET
def inspection_export(request):
    rows = InspectionFilter(request.GET, queryset=Inspection.objects.visible_to(request.user)).qs
    columns = [
        "inspected_on",
        ("enterprise__name", "被检查单位"),
        ("town__name", "镇街"),
        ("unit__name", "检查单位"),
        "status",
        "finding_count",
        "followed_up",
        "summary",
    ]
    return xlsx_download(rows, columns, sheet="执法检查", filename="执法检查")


@require_GET
def case_export(request):
    rows = CaseFilter(request.GET, queryset=Case.objects.visible_to(request.user)).qs
    columns = [
        "filed_on",
        "party_name",
        ("town__name", "镇街"),
        ("unit__name", "办案单位"),
        "procedure",
        "status",
        "facts",
        "penalty_kind",
        "fine",
        "decision_number",
        "decided_on",
        "closed_on",
    ]
    return xlsx_download(rows, columns, sheet="行政处罚案件", filename="行政处罚案件")


# --- the other lists (issue 12 item 4): plans, pairings, 只检查不执法, exposure, 屡罚不改,
# the legal frame. Each reads the rows its page reads (the page's own helper).


def _refuse(reason) -> None:
    if reason:
        raise PermissionDenied(reason)


@require_GET
def plan_progress_export(request):
    plan_views.need_plans(request.user)
    year = plan_views.year_of(request)
    sort = request.GET.get("sort", "unit")
    sort = sort if sort in plan_selectors.SORTS else "unit"
    rows = plan_selectors.unit_progress(request.user, year, timezone.localdate(), sort)
    columns = [
        "name",
        ("planned", _("计划"), 10),
        ("done", _("已完成"), 10),
        ("due", _("本月待查"), 10),
        ("overdue", _("逾期"), 10),
        ("rate", _("完成率（%）"), 10),
    ]
    name = _("%(year)s年度执法检查计划完成情况") % {"year": year}
    return xlsx_download(rows, columns, sheet=_("检查计划完成情况"), filename=name)


@require_GET
def plan_target_export(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _filters, rows = plan_views.target_rows(request, plan, timezone.localdate())
    columns = [
        "month",
        ("enterprise__name", _("检查对象")),
        ("enterprise__town__name", _("镇街")),
        "kind",
        ("assigned_to__display_name", _("承办人")),
        "done_on",
    ]
    return xlsx_download(rows, columns, sheet=_("检查计划"), filename=plan.title)


@require_GET
def pairing_export(request):
    plan_views.need_pairings(request.user)
    year = plan_views.year_of(request)
    columns = [
        "year",
        ("town__name", _("镇街")),
        ("chief__display_name", _("包联领导")),
        ("chief__organisation__name", _("所在单位")),
        ("visit_count", _("指导次数"), 10),
        ("last_visit", _("最近指导"), 12),
        "note",
    ]
    name = _("%(year)s年度包联指导") % {"year": year}
    return xlsx_download(
        plan_views.pairing_rows(request.user, year), columns, sheet=_("包联指导"), filename=name
    )


@require_GET
def unfollowed_export(request):
    _refuse(inspection_refusal(request.user, "view_unfollowed"))
    year = UnfollowedYearForm(request.GET).chosen_year()
    columns = [
        "inspected_on",
        ("enterprise__name", _("被检查单位")),
        ("town__name", _("镇街")),
        ("unit__name", _("检查单位")),
        "finding_count",
        "summary",
    ]
    name = _("%(year)s年度只检查不执法") % {"year": year}
    rows = inspection_selectors.unfollowed(request.user, year)
    return xlsx_download(rows, columns, sheet=_("只检查不执法"), filename=name)


@require_GET
def exposure_manage_export(request):
    show, rows = exposure_views.manage_rows(request)
    if show == "candidates":
        columns = [
            "party_name",
            ("town__name", _("镇街")),
            ("item__name", _("违法行为")),
            "penalty_kind",
            "fine",
            "decision_number",
            "decided_on",
            "closed_on",
        ]
        rows = rows.order_by("-decided_on", "-id")
    else:
        columns = [
            "party_name",
            "town_name",
            "item_name",
            "penalty_kind",
            "fine",
            "decision_number",
            "decided_on",
            "published_at",
            "withdrawn_at",
        ]
    label = exposure_views.SHOWN[show]
    return xlsx_download(rows, columns, sheet=str(label), filename=_("曝光台-%s") % label)


@require_GET
def repeat_offender_export(request):
    _refuse(
        None if sees_repeat_offenders(request.user) else _("屡罚不改名单只对执法和监管人员开放。")
    )
    today = timezone.localdate()
    counts = flagged_counts(today)
    enterprises = list(
        flagged_enterprises(request.user, today, flagged=counts).values_list(
            "pk", "name", "town__name", "principal_name", "principal_phone"
        )
    )
    closure = closure_among([row[0] for row in enterprises], today)
    headers = [
        (_("企业名称"), 30),
        (_("镇街"), 14),
        (_("180 日内处罚"), 12),
        (_("一年内处罚"), 12),
        (_("建议提请关闭"), 12),
        (_("主要负责人"), 12),
        (_("联系电话"), 14),
    ]
    rows = (
        (name, town, counts[pk].recent, counts[pk].year, pk in closure, principal, phone)
        for pk, name, town, principal, phone in enterprises
    )
    return rows_download(rows, headers, sheet=_("屡罚不改"), filename=_("屡罚不改名单"))


@require_GET
def authority_item_export(request):
    require_authority(request.user, "view_catalogue")
    _form, rows = authority_views.item_rows(request)
    columns = [
        "code",
        "name",
        ("delegating_department__name", _("委托部门")),
        "legal_basis",
        "penalty_basis",
        "allows_warning",
        "min_fine",
        "max_fine",
        "allows_simple",
        "allows_general",
    ]
    return xlsx_download(rows, columns, sheet=_("委托执法事项"), filename=_("委托执法事项"))


def _validity(field: str, today, *, revoked: str | None = None) -> SqlCase:
    soon = today + datetime.timedelta(days=authority_views.EXPIRING_DAYS)
    whens = []
    if revoked:
        whens.append(When(**{f"{revoked}__lte": today}, then=Value(str(_("已注销")))))
    whens += [
        When(**{f"{field}__lt": today}, then=Value(str(_("已过期")))),
        When(**{f"{field}__lte": soon}, then=Value(str(_("即将到期")))),
    ]
    return SqlCase(*whens, default=Value(str(_("有效"))), output_field=CharField())


@require_GET
def authorisation_export(request):
    require_authority(request.user, "view_authorisations")
    today = timezone.localdate()
    rows = authority_views.authorisation_rows(request.user).annotate(
        validity=_validity("valid_until", today)
    )
    columns = [
        ("town__name", _("镇街")),
        "procedure_level",
        "document_number",
        "valid_from",
        "valid_until",
        ("item_count", _("委托事项"), 10),
        ("validity", _("状态"), 10),
        "note",
    ]
    return xlsx_download(rows, columns, sheet=_("镇街委托授权"), filename=_("镇街委托授权"))


@require_GET
def officer_export(request):
    require_authority(request.user, "view_officers")
    today = timezone.localdate()
    certificates, _units, _unit, _status = authority_views.officer_rows(request, today)
    rows = certificates.annotate(validity=_validity("expires_on", today, revoked="revoked_on"))
    columns = [
        ("officer__organisation__name", _("单位")),
        ("officer__display_name", _("执法人员")),
        "number",
        "issued_on",
        "expires_on",
        "revoked_on",
        ("validity", _("状态"), 10),
    ]
    return xlsx_download(rows, columns, sheet=_("执法人员"), filename=_("执法人员"))
