"""The Excel exports of the self-assessments and of the enterprises that have not submitted
one: the pages' rows, GET only (safetyportal/core/exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises.assessment.views import assessment_rows, missing_rows
from enterprises.registry.exports import ENTERPRISE_COLUMNS
from safetyportal.core.exports import xlsx_download


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
    return xlsx_download(rows, ENTERPRISE_COLUMNS, sheet=_("未提交自评企业"), filename=name)
