"""Scale data for the stored reports: each town's and department's yearly hazard summary
(隐患排查治理报告) for every year of the scale, and the county's half-monthly bulletins of
the last year, issued and numbered. Rows only (no files): the list and its filters are
what the bench measures; the bulletin's building is measured on the hazards themselves."""

from __future__ import annotations

import datetime

from safetyportal.core.reports import half_month_period
from safetyportal.dashboard.scale import ScaleContext, chunks

BULLETIN = "major_hazard_bulletin"
SUMMARY = "hazard_summary"


def reports(ctx: ScaleContext) -> None:
    rng = ctx.rng("reports")
    units = list(ctx.data["towns"]) + list(ctx.data.get("departments", []))
    office_users = ctx.data["users"].get("county_office", [])
    requester = office_users[0] if office_users else None
    now = datetime.datetime.combine(ctx.today, datetime.time(9), tzinfo=datetime.UTC)
    rows: list[tuple] = []
    for year in range(ctx.today.year - min(ctx.scale.years, 10), ctx.today.year):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for unit in units:
            title = f"{year}年度单位{unit}隐患排查治理报告"
            rows.append(
                (
                    SUMMARY, start, end, f"{year}年度", unit, title, f"{title}.pdf", "",
                    {}, "ready", 100, "已生成", "", rng.randrange(2, 9), requester, now, now, "",
                )
            )  # fmt: skip
    # the last 24 half months, numbered in order within each year
    numbers: dict[int, int] = {}
    periods = []
    day = ctx.today.replace(day=1)
    for _ in range(12):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        periods += [
            half_month_period(day.year, day.month, 2),
            half_month_period(day.year, day.month, 1),
        ]
    for index, (start, end, label) in enumerate(reversed(periods)):
        title = f"重大事故隐患治理情况通报（{label}）"
        if index == len(periods) - 1:  # the last half month: drafted, waiting to be issued
            rows.append(
                (
                    BULLETIN, start, end, label, None, title, f"{title}.pdf", "", {},
                    "draft", 0, "待签发", "", None, None, now, None, "",
                )
            )  # fmt: skip
            continue
        issued = end + datetime.timedelta(days=1)
        numbers[issued.year] = numbers.get(issued.year, 0) + 1
        rows.append(
            (
                BULLETIN, start, end, label, None, title, f"{title}.pdf",
                f"澧安办通〔{issued.year}〕{numbers[issued.year]}号", {"totals": {}},
                "ready", 100, "已生成", "", rng.randrange(3, 12), requester, now, now, "",
            )
        )  # fmt: skip
    columns = [
        "kind", "period_start", "period_end", "period_label", "unit", "title", "file_name",
        "number", "content", "status", "progress", "progress_message", "file", "pages",
        "requested_by", "requested_at", "generated_at", "error",
    ]  # fmt: skip
    for chunk in chunks(rows):
        first = ctx.reserve("dashboard.Report", len(chunk))
        ctx.copy(
            "dashboard.Report",
            ["id", *columns],
            [(first + i, *row) for i, row in enumerate(chunk)],
        )
    if numbers:
        ctx.copy(
            "dashboard.ReportNumber",
            ["kind", "year", "last_number"],
            [(BULLETIN, year, last) for year, last in sorted(numbers.items())],
        )
