"""The Excel export of 法定职责跟进: the page's rows (its filters and the user's
scope), GET only (safetyportal/core/exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises.duties.views import followup_rows
from safetyportal.core.exports import xlsx_download


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
