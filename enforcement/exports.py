"""The Excel exports of the enforcement lists: the same scope and filters as each list page
(safetyportal/core/exports.xlsx_download), a few lines each."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from enforcement.accidents.filters import AccidentFilter
from enforcement.accidents.models import Accident
from enforcement.cases.filters import CaseFilter
from enforcement.cases.models import Case
from enforcement.inspections.filters import InspectionFilter
from enforcement.inspections.models import Inspection
from safetyportal.core.exports import xlsx_download


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
