"""The ledger's Excel export: openpyxl write-only, rows streamed from one query."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook

from hazards.models import OPEN_STATUSES, HazardClass, HazardSource, HazardStatus
from safetyportal.core.excel import TableSheet

HEADER = [
    "隐患编号",
    "隐患单位",
    "镇街",
    "行业领域",
    "来源",
    "等级",
    "状态",
    "隐患部位",
    "隐患描述",
    "发现日期",
    "整改期限",
    "原定期限",
    "整改责任人",
    "重大隐患清单编号",
    "销号日期",
    "是否逾期",
]
# in characters, one per HEADER column
WIDTHS = [16, 28, 12, 14, 12, 8, 10, 20, 40, 12, 12, 12, 12, 16, 12, 10]
COLUMNS = [
    "pk",
    "found_on",
    "enterprise__name",
    "town__name",
    "industry__name",
    "source",
    "hazard_class",
    "status",
    "location",
    "description",
    "deadline",
    "original_deadline",
    "responsible_person",
    "listing__list_number",
    "closed_on",
]


def write_ledger_xlsx(queryset, handle, chunk_size: int = 2000) -> int:
    """Write `queryset` (a filtered ledger) to `handle`; one query, constant memory."""
    sources = dict(HazardSource.choices)
    classes = dict(HazardClass.choices)
    statuses = dict(HazardStatus.choices)
    today = timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = TableSheet(workbook, "隐患台账", HEADER, WIDTHS)
    count = 0
    rows = queryset.values_list(*COLUMNS).iterator(chunk_size=chunk_size)
    for (
        pk,
        found_on,
        enterprise,
        town,
        industry,
        source,
        hazard_class,
        status,
        location,
        description,
        deadline,
        original_deadline,
        person,
        list_number,
        closed_on,
    ) in rows:
        # every text cell goes through safe_row (TableSheet.append): a description typed
        # as "=HYPERLINK(...)" must open as text, not as a live formula
        sheet.append(
            [
                f"YH{found_on:%Y}-{pk:06d}",
                enterprise,
                town,
                industry,
                str(sources.get(source, source)),
                str(classes.get(hazard_class, hazard_class)),
                str(statuses.get(status, status)),
                location,
                description,
                found_on,
                deadline,
                original_deadline,
                person,
                list_number or "",
                closed_on,
                "是" if status in OPEN_STATUSES and deadline < today else "否",
            ]
        )
        count += 1
    sheet.close()
    workbook.save(handle)
    return count
