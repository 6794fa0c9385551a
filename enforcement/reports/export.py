"""The report list's Excel export: the filtered list, streamed from one query into a
constant-memory sheet. No identity column exists: the export reads only the report table
(anonymous or not, never who)."""

from __future__ import annotations

from enforcement.reports.models import Outcome, ReportKind, ReportStatus
from safetyportal.core.excel import TableSheet

HEADER = [
    "举报编号",
    "收到日期",
    "举报类型",
    "被举报单位",
    "地点",
    "承办单位",
    "状态",
    "核查结论",
    "受理日期",
    "核查期限",
    "核查完成",
    "反馈日期",
    "实名",
    "吹哨人",
]
WIDTHS = [10, 12, 16, 28, 24, 16, 10, 10, 12, 12, 12, 12, 8, 8]
COLUMNS = [
    "pk",
    "received_on",
    "kind",
    "enterprise_name",
    "location",
    "unit__name",
    "status",
    "outcome",
    "accepted_on",
    "verify_due",
    "verified_on",
    "feedback_on",
    "is_anonymous",
    "is_whistleblower",
]


def write_reports_xlsx(queryset, handle, chunk_size: int = 2000) -> int:
    kinds = {value: str(label) for value, label in ReportKind.choices}
    statuses = {value: str(label) for value, label in ReportStatus.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    yes, no = "是", "否"
    count = 0
    rows = queryset.values_list(*COLUMNS).iterator(chunk_size=chunk_size)
    with TableSheet(handle, "举报", HEADER, WIDTHS) as sheet:
        for (
            pk,
            received,
            kind,
            name,
            location,
            unit,
            status,
            outcome,
            accepted,
            due,
            verified,
            feedback,
            anonymous,
            whistleblower,
        ) in rows:
            sheet.append(
                [
                    pk,
                    received,
                    kinds.get(kind, kind),
                    name,
                    location,
                    unit or "",
                    statuses.get(status, status),
                    outcomes.get(outcome, ""),
                    accepted,
                    due,
                    verified,
                    feedback,
                    no if anonymous else yes,
                    yes if whistleblower else no,
                ]
            )
            count += 1
    return count
