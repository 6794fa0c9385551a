"""The dashboards (数据看板), the printable briefing (领导简报) and the Excel export of the
dashboard's tables (ADR 0032, 0033). Thin views: the scope from permissions.py, the
period from the form, the figures from figures.py."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from responsibilities.models import Organisation
from safetyportal.core.excel import TableSheet
from safetyportal.core.figures import reading
from safetyportal.dashboard.figures import Section, dashboard
from safetyportal.dashboard.forms import period_form
from safetyportal.dashboard.permissions import dashboard_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _charts(data: dict) -> dict:
    """What the page's script draws (json_script): each section's chart and the trends."""
    charts = {s.key: s.chart for s in data["sections"] if s.chart}
    charts["trend_hazards"] = {"type": "lines", **data["trends"]["hazards"]}
    charts["trend_accidents"] = {"type": "lines", **data["trends"]["accidents"]}
    months = [str(m) for m in data["trends"]["months"]]
    return {"charts": _plain(charts), "months": months}


def _plain(value):
    """Lazy translations and tuples made JSON-ready."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _context(request):
    today = timezone.localdate()
    scope = dashboard_scope(request.user, request.GET.get("town"))
    form = period_form(request.GET, today)
    period = form.period()
    with reading():
        data = dashboard(scope, period, today)
    query = period.query()
    if scope.town_filter is not None:
        query["town"] = str(scope.town_filter.pk)
    return {
        "scope": scope,
        "form": form,
        "period": period,
        "today": today,
        "data": data,
        "query": urlencode(query),
        "towns": (
            list(Organisation.objects.towns().order_by("sort_order", "code"))
            if request.user.sees_whole_county
            else []
        ),
    }


@require_GET
def dashboard_page(request):
    """A unit's dashboard for a period: figures linking to their lists, charts, trends
    and (for the county) the towns' and departments' rankings."""
    context = _context(request)
    context["chart_data"] = _charts(context["data"])
    return render(request, "dashboard/dashboard.html", context)


@require_GET
def briefing(request):
    """The one-page printable briefing (领导简报) for the chosen period (A4, print CSS)."""
    context = _context(request)
    return render(request, "dashboard/briefing.html", context)


def _figure_rows(sections: list[Section]):
    for section in sections:
        for figure in section.figures:
            yield [str(section.title), str(figure.label), figure.value, str(figure.unit)]
        for label, text in section.rates:
            yield [str(section.title), str(label), text, ""]


RANK_HEADER = [
    "类别",
    "名次",
    "单位",
    "排查隐患",
    "已销号",
    "销号率(%)",
    "逾期未整改",
    "逾期率(%)",
    "计划检查",
    "已完成计划",
    "计划完成率(%)",
]
RANK_WIDTHS = [8, 6, 20, 10, 10, 10, 12, 10, 10, 12, 14]


def _number(value):
    return float(value) if value is not None else None


@require_GET
def export(request):
    """The dashboard's tables as an .xlsx for the chosen period: the towns' and
    departments' rankings (the county), else the unit's figures."""
    context = _context(request)
    scope, period, data = context["scope"], context["period"], context["data"]
    # a few dozen rows: built in memory
    handle = io.BytesIO()
    if data["rankings"] is not None:
        with TableSheet(handle, _("排名"), RANK_HEADER, RANK_WIDTHS) as sheet:
            for kind, rows in (
                (_("镇街"), data["rankings"]["towns"]),
                (_("部门"), data["rankings"]["departments"]),
            ):
                for place, row in enumerate(rows, start=1):
                    sheet.append(
                        [
                            str(kind),
                            place,
                            row.name,
                            row.found,
                            row.closed,
                            _number(row.closing_rate),
                            row.overdue,
                            _number(row.overdue_rate),
                            row.planned,
                            row.done,
                            _number(row.plan_rate),
                        ]
                    )
        what = _("排名")
    else:
        header = [_("板块"), _("指标"), _("数值"), _("单位")]
        with TableSheet(handle, _("指标"), header, [24, 28, 12, 8]) as sheet:
            for row in _figure_rows(data["sections"]):
                sheet.append(row)
        what = _("指标")
    handle.seek(0)
    filename = f"{scope.name}数据看板{what}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
