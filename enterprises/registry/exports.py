"""The Excel export of 监管空白 (the registry's own export, in the import layout, is
enterprises/importing): the page's rows, GET only (safetyportal/core/exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises.registry.views import gap_rows
from safetyportal.core.exports import xlsx_download

ENTERPRISE_COLUMNS = [
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
def supervision_gaps_export(request):
    _current, rows = gap_rows(request)
    return xlsx_download(rows, ENTERPRISE_COLUMNS, sheet=_("监管空白"), filename=_("监管空白企业"))
