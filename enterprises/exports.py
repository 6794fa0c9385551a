"""The Excel exports of this app's lists (法定职责跟进, 安全生产自评 and those not yet
submitted, 监管空白): each the rows its page shows, in the user's scope and with the page's
filters (safetyportal/core/exports.xlsx_download), GET only. The registry's own export (in
the import layout, enterprises/importing) stays where it is."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises.assessment.views import assessment_rows, missing_rows
from enterprises.duties.views import followup_rows
from enterprises.registry.views import gap_rows
from safetyportal.core.exports import xlsx_download

_ENTERPRISE = [
    "name",
    "uscc",
    ("town__name", _("镇街")),
    ("industry__name", _("行业领域")),
    "address",
    "is_high_risk",
    "status",
    "principal_name",
    "principal_phone",
]


@require_GET
def compliance_export(request):
    rows, check_label = followup_rows(request)
    columns = [
        "enterprise_name",
        ("town__name", _("镇街")),
        ("industry__name", _("行业领域")),
        "duty",
        "status",
        "message",
        "checked_on",
        "next_change_on",
    ]
    name = _("法定职责跟进-%(check)s") % {"check": check_label}
    return xlsx_download(rows, columns, sheet=_("法定职责跟进"), filename=name)


@require_GET
def assessment_export(request):
    columns = [
        ("enterprise__name", _("企业名称")),
        ("enterprise__town__name", _("镇街")),
        ("period__year", _("年度"), 8),
        "status",
        "total",
        "grade_name",
        "submitted_at",
        "reviewed_at",
    ]
    return xlsx_download(
        assessment_rows(request), columns, sheet=_("安全生产自评"), filename=_("安全生产自评")
    )


@require_GET
def assessment_missing_export(request):
    period, rows = missing_rows(request)
    name = _("%(year)s年度未提交自评企业") % {"year": period.year}
    return xlsx_download(rows, _ENTERPRISE, sheet=_("未提交自评企业"), filename=name)


@require_GET
def supervision_gaps_export(request):
    _current, rows = gap_rows(request)
    return xlsx_download(rows, _ENTERPRISE, sheet=_("监管空白"), filename=_("监管空白企业"))
