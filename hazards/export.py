"""The ledger's Excel export: rows streamed from one query (a server-side cursor) into a
constant-memory sheet (safetyportal.core.excel.TableSheet)."""

from __future__ import annotations

from django.utils import timezone

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
    """Write `queryset` (a filtered ledger) to `handle`, in the queryset's order; one query,
    constant memory. Returns the number of rows."""
    # labels translated once, not once per row
    sources = {value: str(label) for value, label in HazardSource.choices}
    classes = {value: str(label) for value, label in HazardClass.choices}
    statuses = {value: str(label) for value, label in HazardStatus.choices}
    open_statuses = frozenset(OPEN_STATUSES)
    today = timezone.localdate()
    count = 0
    rows = queryset.values_list(*COLUMNS).iterator(chunk_size=chunk_size)
    with TableSheet(handle, "隐患台账", HEADER, WIDTHS) as sheet:
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
            # every text cell goes through safe_cell (TableSheet.append): a description typed
            # as "=HYPERLINK(...)" must open as text, not as a live formula
            sheet.append(
                [
                    f"YH{found_on:%Y}-{pk:06d}",
                    enterprise,
                    town,
                    industry,
                    sources.get(source, source),
                    classes.get(hazard_class, hazard_class),
                    statuses.get(status, status),
                    location,
                    description,
                    found_on,
                    deadline,
                    original_deadline,
                    person,
                    list_number or "",
                    closed_on,
                    "是" if status in open_statuses and deadline < today else "否",
                ]
            )
            count += 1
    return count
