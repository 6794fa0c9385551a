"""Export of the registry in the import layout."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook

from enterprises.importing.rows import HEADERS, WIDTHS
from safetyportal.core.excel import TableSheet


def export_workbook(enterprises) -> bytes:
    """The registry rows of `enterprises` (already filtered) in the import layout, so an
    export can be corrected and imported elsewhere. Write-only mode keeps memory flat."""
    workbook = Workbook(write_only=True)
    sheet = TableSheet(workbook, "企业名录", HEADERS, WIDTHS)
    with translation.override("zh-hans"):  # the import layout's labels, in any UI language
        _append_rows(sheet, enterprises)
    sheet.close()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_rows(sheet: TableSheet, enterprises) -> None:
    for e in enterprises.select_related("town", "industry").iterator(chunk_size=2000):
        sheet.append(
            [
                e.name,
                e.uscc,
                e.town.name,
                e.industry.name,
                e.address,
                e.employee_count,
                e.get_scale_display(),
                "是" if e.is_high_risk else "否",
                e.get_status_display(),
                e.legal_representative,
                e.principal_name,
                e.principal_phone,
            ]
        )
