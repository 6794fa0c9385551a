"""Export of the registry in the import layout."""

from __future__ import annotations

import io

from django.utils import translation

from enterprises.importing.rows import HEADERS, WIDTHS
from enterprises.registry.models import EnterpriseScale, EnterpriseStatus
from safetyportal.core.excel import TableSheet

# the import layout's columns, read in one query without building model instances
_VALUES = (
    "name",
    "uscc",
    "town__name",
    "industry__name",
    "address",
    "employee_count",
    "scale",
    "is_high_risk",
    "status",
    "legal_representative",
    "principal_name",
    "principal_phone",
)


def export_workbook(enterprises) -> bytes:
    """The registry rows of `enterprises` (already filtered) in the import layout and in its
    order, so an export can be corrected and imported elsewhere. One query; the sheet is
    written in constant memory."""
    buffer = io.BytesIO()
    with translation.override("zh-hans"):  # the import layout's labels, in any UI language
        scales = {value: str(label) for value, label in EnterpriseScale.choices}
        statuses = {value: str(label) for value, label in EnterpriseStatus.choices}
    with TableSheet(buffer, "企业名录", HEADERS, WIDTHS) as sheet:
        for row in enterprises.values_list(*_VALUES).iterator(chunk_size=2000):
            values = list(row)
            values[6] = scales.get(values[6], values[6])
            values[7] = "是" if values[7] else "否"
            values[8] = statuses.get(values[8], values[8])
            sheet.append(values)
    return buffer.getvalue()
