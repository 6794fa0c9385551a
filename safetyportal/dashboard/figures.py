"""The dashboards' figures (数据看板, issue 12 item 2; ADR 0032).

A dashboard is a *scope* (the county, a town, a department: always the user's own
`visible_to` rows, a county user may narrow to one town) and a *period* (a year, or a date
range). Each figure is counted in SQL by one aggregate of its section's provider, and
carries the URL of the ledger list that shows exactly the rows it counts: the list applies
the same `visible_to(user)`, so following a figure opens its rows.

The providers are listed in `PROVIDERS`, in the page's order.

The page costs a constant number of queries whatever the data volume (asserted in
tests/dashboard/test_dashboard_queries.py): the hazard aggregates, which read the most
rows, are kept (safetyportal/core/figures.py, ADR 0017) until a hazard changes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.accidents.models import Accident
from enforcement.accidents.rules import change_percent
from enforcement.authority.models import Procedure
from enforcement.cases.models import Case
from enforcement.inspections.models import Inspection, InspectionStatus
from enforcement.plans.selectors import kept_unit_progress
from enforcement.reports.filters import overdue_q as report_overdue_q
from enforcement.reports.models import Outcome, Report
from enforcement.reports.statistics import COUNTED as REPORTS_COUNTED
from enforcement.reports.statistics import ON_TIME as REPORTS_ON_TIME
from enterprises.duties.judging import COMPLIANCE_TOPIC
from enterprises.duties.models import Check, ComplianceStatus
from enterprises.duties.selectors import on_statuses
from enterprises.models import Enterprise
from enterprises.registry.scope import enterprise_scope
from hazards.models import OPEN_STATUSES, Hazard, HazardClass, HazardStatus
from hazards.risk_models import RiskBand, RiskPoint, band_for
from hazards.risk_selectors import RISK_TOPICS
from responsibilities.models import (
    TOWN_LEVEL_KINDS,
    Organisation,
    OrganisationKind,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.core.figures import kept, sql_key, watch

# the hazard aggregates read every column below: a write to one recomputes them (bulk
# writes - demo, scale data - call touch_all(), which includes this topic)
HAZARD_TOPIC = "dashboard.hazards"
watch(
    HAZARD_TOPIC,
    Hazard,
    fields=(
        "status",
        "deadline",
        "hazard_class",
        "town",
        "industry",
        "enterprise",
        "found_on",
        "closed_on",
    ),
)
HAZARD_TOPICS = (HAZARD_TOPIC, "hazards", "enterprises")


# --- the period ------------------------------------------------------------------------------


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """Both ends included. A year's period runs to today for this year (to date)."""

    start: datetime.date
    end: datetime.date
    year: int | None = None  # set when the period is a calendar year (or this year to date)

    @property
    def last_year(self) -> Period:
        """The same dates a year earlier (同比)."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    @property
    def trend_year(self) -> int:
        return self.end.year

    @property
    def label(self) -> str:
        if self.year is not None:
            if self.end != datetime.date(self.year, 12, 31):
                return _("%(year)s年（1月1日至%(month)s月%(day)s日）") % {
                    "year": self.year,
                    "month": self.end.month,
                    "day": self.end.day,
                }
            return _("%(year)s年") % {"year": self.year}
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}"

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes (the end day included)."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end

    def query(self) -> dict[str, str]:
        """The period as the dashboard's own query parameters."""
        if self.year is not None:
            return {"year": str(self.year)}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def year_period(year: int, today: datetime.date) -> Period:
    end = today if year == today.year else datetime.date(year, 12, 31)
    return Period(datetime.date(year, 1, 1), end, year=year)


# --- the scope -------------------------------------------------------------------------------


COUNTY, TOWN, DEPARTMENT = "county", "town", "department"


@dataclass
class Scope:
    """Whose figures: `user`'s visible rows, narrowed to `town` when a county user chose
    one. `kind` says which dashboard this is."""

    user: object
    kind: str
    unit: Organisation | None = None
    # set only when a county user narrowed the county to a town: every link then names it
    town_filter: Organisation | None = None

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else _("全县")

    def narrow(self, queryset, field_name: str = "town"):
        if self.town_filter is None:
            return queryset
        return queryset.filter(**{field_name: self.town_filter})

    def link(self, url_name: str, **params) -> str:
        if self.town_filter is not None:
            params.setdefault("town", self.town_filter.pk)
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        url = reverse(url_name)
        return f"{url}?{query}" if query else url


# --- figures ---------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | None
    url: str | None = None
    unit: str = ""
    # False when the list behind the figure holds other rows than it counts (the
    # enterprises inspected: the inspections list, one row per inspection)
    counts_list_rows: bool = True


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    # a rate shown next to the figures ("87.7%"), with what it divides
    rates: list[tuple[str, str | None]] = field(default_factory=list)
    chart: dict | None = None
    note: str = ""

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    @property
    def rate_texts(self) -> list[str]:
        return [text or "—" for _label, text in self.rates]


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole in per cent, one decimal (None for nothing to divide)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rate_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def change_text(this: int, last: int) -> str:
    percent = change_percent(this, last)
    if percent is None:
        return "—"
    if percent < 0:
        return _("下降 %(p)s %%") % {"p": -percent}
    if percent > 0:
        return _("上升 %(p)s %%") % {"p": percent}
    return _("持平")


def _kept(name: str, queryset, compute: Callable, topics=HAZARD_TOPICS, extra: str = ""):
    """`compute()` kept (ADR 0017) until one of `topics` is written: the key is the SQL of
    `queryset` (the user's scope and the period are in it) and `extra`."""
    try:
        key = sql_key(queryset)
    except EmptyResultSet:
        return compute()
    return kept(name, topics=topics, scope=(key, extra), compute=compute)


# --- hazards ---------------------------------------------------------------------------------


def _counted_hazards(scope: Scope, period: Period):
    """The hazards found in the period that count (voided ones do not)."""
    return scope.narrow(
        Hazard.objects.visible_to(scope.user)
        .filter(found_on__gte=period.start, found_on__lte=period.end)
        .exclude(status=HazardStatus.VOIDED)
    )


def _hazard_counts(today: datetime.date) -> dict:
    closed = Q(status=HazardStatus.CLOSED)
    overdue = Q(status__in=OPEN_STATUSES, deadline__lt=today)
    major = Q(hazard_class=HazardClass.MAJOR)
    general = Q(hazard_class=HazardClass.GENERAL)
    return {
        "found": Count("pk"),
        "closed": Count("pk", filter=closed),
        "overdue": Count("pk", filter=overdue),
        "general_found": Count("pk", filter=general),
        "general_closed": Count("pk", filter=general & closed),
        "major_found": Count("pk", filter=major),
        "major_closed": Count("pk", filter=major & closed),
        "major_open": Count("pk", filter=major & Q(status__in=OPEN_STATUSES)),
        "major_overdue": Count("pk", filter=major & overdue),
    }


def hazard_sections(scope: Scope, period: Period, today: datetime.date) -> list[Section]:
    hazards = _counted_hazards(scope, period)
    counts = _kept(
        "dashboard.hazards",
        hazards,
        lambda: hazards.order_by().aggregate(**_hazard_counts(today)),
    )
    found = {
        "stage": "valid",
        "found_after": period.start.isoformat(),
        "found_before": period.end.isoformat(),
    }
    link = scope.link
    general = {**found, "hazard_class": HazardClass.GENERAL}
    major = {**found, "hazard_class": HazardClass.MAJOR}
    hazards_section = Section(
        "hazards",
        _("隐患排查治理"),
        figures=[
            Figure("found", _("排查隐患"), counts["found"], link("hazards:list", **found), _("项")),
            Figure(
                "closed",
                _("已整改销号"),
                counts["closed"],
                link("hazards:list", **{**found, "status": HazardStatus.CLOSED}),
                _("项"),
            ),
            Figure(
                "general_closed",
                _("一般隐患已整改"),
                counts["general_closed"],
                link("hazards:list", **{**general, "status": HazardStatus.CLOSED}),
                _("项"),
            ),
            Figure(
                "overdue",
                _("逾期未整改"),
                counts["overdue"],
                link("hazards:list", **{**found, "overdue": "true"}),
                _("项"),
            ),
        ],
        rates=[(_("整改率"), rate_text(rate(counts["closed"], counts["found"])))],
    )
    major_section = Section(
        "major_hazards",
        _("重大事故隐患"),
        figures=[
            Figure(
                "major_found",
                _("重大隐患"),
                counts["major_found"],
                link("hazards:list", **major),
                _("项"),
            ),
            Figure(
                "major_closed",
                _("已销号"),
                counts["major_closed"],
                link("hazards:list", **{**major, "status": HazardStatus.CLOSED}),
                _("项"),
            ),
            Figure(
                "major_open",
                _("未销号"),
                counts["major_open"],
                link("hazards:list", **{**major, "stage": "open"}),
                _("项"),
            ),
            Figure(
                "major_overdue",
                _("逾期未销号"),
                counts["major_overdue"],
                link("hazards:list", **{**major, "overdue": "true"}),
                _("项"),
            ),
        ],
        rates=[(_("销号率"), rate_text(rate(counts["major_closed"], counts["major_found"])))],
    )
    # open against closed: the two parts of the major hazards found in the period
    shown = (major_section.figure("major_open"), major_section.figure("major_closed"))
    major_section.chart = {
        "type": "pie",
        "series": [{"name": f.label, "value": f.value, "url": f.url} for f in shown],
    }
    return [hazards_section, major_section]


# --- inspections and plans -------------------------------------------------------------------


def inspection_section(scope: Scope, period: Period, today: datetime.date, plans) -> Section:
    made = scope.narrow(
        Inspection.objects.visible_to(scope.user).filter(
            status=InspectionStatus.SUBMITTED,
            inspected_on__gte=period.start,
            inspected_on__lte=period.end,
        )
    )
    counts = made.order_by().aggregate(
        n=Count("pk"), enterprises=Count("enterprise_id", distinct=True)
    )
    rows = [r for r in plans if scope.town_filter is None or r.pk == scope.town_filter.pk]
    planned = sum(r.planned for r in rows)
    done = sum(r.done for r in rows)
    year = period.trend_year
    inspections = {
        "status": InspectionStatus.SUBMITTED,
        "date_after": period.start.isoformat(),
        "date_before": period.end.isoformat(),
    }
    plan_url = reverse("enforcement:plan_progress") + "?" + urlencode({"year": year})
    return Section(
        "inspections",
        _("执法检查"),
        figures=[
            Figure(
                "inspections",
                _("检查"),
                counts["n"],
                scope.link("enforcement:inspection_list", **inspections),
                _("次"),
            ),
            Figure(
                "enterprises_inspected",
                _("检查企业"),
                counts["enterprises"],
                scope.link("enforcement:inspection_list", **inspections),
                _("家"),
                counts_list_rows=False,
            ),
            Figure(
                "planned", _("%(year)s年计划检查") % {"year": year}, planned, plan_url, _("家次")
            ),
            Figure("plan_done", _("已完成计划"), done, plan_url, _("家次")),
        ],
        rates=[(_("计划完成率"), rate_text(rate(done, planned)))],
    )


# --- cases -----------------------------------------------------------------------------------


def case_section(scope: Scope, period: Period, today: datetime.date) -> Section:
    cases = scope.narrow(
        Case.objects.visible_to(scope.user).filter(
            filed_on__gte=period.start, filed_on__lte=period.end
        )
    )
    by_procedure = dict(
        cases.order_by()
        .values_list("procedure")
        .annotate(n=Count("pk"))
        .values_list("procedure", "n")
    )
    filed = {"filed_after": period.start.isoformat(), "filed_before": period.end.isoformat()}
    figures = [
        Figure(
            "cases",
            _("立案查处"),
            sum(by_procedure.values()),
            scope.link("enforcement:case_list", **filed),
            _("起"),
        )
    ]
    for value, label in Procedure.choices:
        figures.append(
            Figure(
                f"cases_{value}",
                str(label),
                by_procedure.get(value, 0),
                scope.link("enforcement:case_list", procedure=value, **filed),
                _("起"),
            )
        )
    section = Section("cases", _("行政处罚案件（按程序）"), figures=figures)
    section.chart = {
        "type": "pie",
        "series": [{"name": f.label, "value": f.value, "url": f.url} for f in figures[1:]],
    }
    return section


# --- accidents -------------------------------------------------------------------------------


def accident_section(scope: Scope, period: Period, today: datetime.date) -> Section:
    this_start, this_end = period.moments()
    last_start, last_end = period.last_year.moments()
    this = Q(occurred_at__gte=this_start, occurred_at__lt=this_end)
    last = Q(occurred_at__gte=last_start, occurred_at__lt=last_end)
    counts = (
        scope.narrow(Accident.objects.visible_to(scope.user))
        .filter(this | last)
        .order_by()
        .aggregate(
            n=Count("pk", filter=this),
            d=Sum("deaths", filter=this),
            ln=Count("pk", filter=last),
            ld=Sum("deaths", filter=last),
        )
    )
    n, d = counts["n"] or 0, counts["d"] or 0
    ln, ld = counts["ln"] or 0, counts["ld"] or 0

    def dates(p: Period) -> dict:
        return {"occurred_after": p.start.isoformat(), "occurred_before": p.end.isoformat()}

    this_url = scope.link("enforcement:accident_list", **dates(period))
    last_url = scope.link("enforcement:accident_list", **dates(period.last_year))
    section = Section(
        "accidents",
        _("生产安全事故（同比）"),
        figures=[
            Figure("accidents", _("事故"), n, this_url, _("起")),
            Figure("deaths", _("死亡"), d, this_url, _("人"), counts_list_rows=False),
            Figure("accidents_last", _("去年同期事故"), ln, last_url, _("起")),
            Figure("deaths_last", _("去年同期死亡"), ld, last_url, _("人"), counts_list_rows=False),
        ],
        rates=[(_("事故起数"), change_text(n, ln)), (_("死亡人数"), change_text(d, ld))],
    )
    section.chart = {
        "type": "bars",
        "categories": [_("事故起数"), _("死亡人数")],
        "series": [
            {"name": _("去年同期"), "data": [ln, ld], "urls": [last_url, last_url]},
            {"name": _("本期"), "data": [n, d], "urls": [this_url, this_url]},
        ],
    }
    return section


# --- compliance ------------------------------------------------------------------------------


def compliance_section(scope: Scope, period: Period, today: datetime.date) -> Section:
    rows = ComplianceStatus.objects.failing()
    restated = on_statuses(enterprise_scope(scope.user))
    if restated is None:
        rows = rows.filter(enterprise__in=Enterprise.objects.visible_to(scope.user).values("pk"))
    else:
        rows = rows.filter(restated)
    grouped = scope.narrow(rows).order_by().values_list("duty").annotate(n=Count("pk"))
    counts = _kept(
        "dashboard.compliance",
        grouped,
        lambda: dict(grouped),
        topics=(COMPLIANCE_TOPIC, "enterprises"),
    )
    figures = [
        Figure(
            f"compliance_{value}",
            str(label),
            counts.get(value, 0),
            scope.link("enterprises:compliance", check=value),
            _("家"),
        )
        for value, label in Check.choices
    ]
    section = Section(
        "compliance",
        _("企业法定职责未落实（当前）"),
        figures=figures,
        note=_("按检查项统计未通过的企业，与“法定职责跟进”一致。"),
    )
    section.chart = {
        "type": "hbar",
        "categories": [f.label for f in figures],
        "series": [
            {
                "name": _("未通过企业"),
                "data": [f.value for f in figures],
                "urls": [f.url for f in figures],
            }
        ],
    }
    return section


# --- risk colours ----------------------------------------------------------------------------

# the seeded bands' codes (hazards/migrations/0002), as the risk list paints them
BAND_COLOURS = {"red": "#d32f2f", "orange": "#f57c00", "yellow": "#fbc02d", "blue": "#1976d2"}


def risk_section(scope: Scope, period: Period, today: datetime.date) -> Section:
    bands = list(RiskBand.objects.order_by("-min_score"))
    points = scope.narrow(RiskPoint.objects.visible_to(scope.user), "enterprise__town")
    by_score = points.order_by().values_list("score").annotate(n=Count("pk"))
    counted: dict[str, int] = defaultdict(int)
    # a few dozen (score, count) rows, kept until a risk point or the registry changes;
    # the bands (read per page) are put on them here
    for score, n in _kept("dashboard.risk_scores", by_score, lambda: list(by_score), RISK_TOPICS):
        band = band_for(Decimal(score), bands)
        counted[band.code if band else ""] += n
    figures = [
        Figure(
            f"risk_{band.code}",
            str(band),
            counted.get(band.code, 0),
            scope.link("hazards:risks", band=band.code),
            _("个"),
        )
        for band in bands
    ]
    section = Section("risks", _("风险点四色分布（当前）"), figures=figures)
    section.chart = {
        "type": "pie",
        "series": [
            {
                "name": f.label,
                "value": f.value,
                "url": f.url,
                "colour": BAND_COLOURS.get(band.code, ""),
            }
            for f, band in zip(figures, bands, strict=True)
        ],
    }
    return section


def reports_section(scope: Scope, period: Period, today: datetime.date) -> Section:
    """Whistleblower reports received in the period: handled within the deadlines (the
    appraisal's rule, enforcement.reports_handled_on_time, judges the same condition),
    overdue today, substantiated. One query."""
    rows = scope.narrow(
        Report.objects.visible_to(scope.user).filter(
            received_on__gte=period.start, received_on__lte=period.end
        )
    )
    counts = rows.aggregate(
        received=Count("pk"),
        counted=Count("pk", filter=REPORTS_COUNTED),
        on_time=Count("pk", filter=REPORTS_ON_TIME & REPORTS_COUNTED),
        overdue=Count("pk", filter=report_overdue_q(today)),
        substantiated=Count("pk", filter=Q(outcome=Outcome.SUBSTANTIATED)),
    )
    received = {
        "received_after": period.start.isoformat(),
        "received_before": period.end.isoformat(),
    }
    figures = [
        Figure(
            "reports",
            _("收到举报"),
            counts["received"],
            scope.link("enforcement:report_list", **received),
            _("件"),
        ),
        Figure(
            "reports_on_time",
            _("按期办结"),
            counts["on_time"],
            scope.link("enforcement:report_list", handled_on_time="true", **received),
            _("件"),
        ),
        Figure(
            "reports_overdue",
            _("当前逾期"),
            counts["overdue"],
            scope.link("enforcement:report_list", overdue="true", **received),
            _("件"),
        ),
        Figure(
            "reports_substantiated",
            _("查实"),
            counts["substantiated"],
            scope.link("enforcement:report_list", outcome=Outcome.SUBSTANTIATED, **received),
            _("件"),
        ),
    ]
    return Section(
        "reports",
        _("举报办理"),
        figures=figures,
        rates=[(_("按期办结率"), rate_text(rate(counts["on_time"], counts["counted"])))],
        note=_("不含不予受理和已合并的举报；按期办结指在核查期限内核查、反馈期限内反馈。"),
    )


def _one(section_of: Callable) -> Callable:
    return lambda scope, period, today, plans: [section_of(scope, period, today)]


# The page's sections in order: (key, provider(scope, period, today, plans) -> [Section]).
PROVIDERS: list[tuple[str, Callable]] = [
    ("hazards", lambda scope, period, today, plans: hazard_sections(scope, period, today)),
    (
        "inspections",
        lambda scope, period, today, plans: [inspection_section(scope, period, today, plans)],
    ),
    ("cases", _one(case_section)),
    ("accidents", _one(accident_section)),
    ("reports", _one(reports_section)),
    ("compliance", _one(compliance_section)),
    ("risks", _one(risk_section)),
]


# --- trends ----------------------------------------------------------------------------------


def trends(scope: Scope, period: Period, today: datetime.date) -> dict:
    """Per month of the period's year against the year before: hazards found, hazards
    closed (by the month they were found in), accidents and deaths. Two queries."""
    year = period.trend_year
    start, end = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
    hazards = scope.narrow(
        Hazard.objects.visible_to(scope.user)
        .filter(found_on__gte=start, found_on__lte=end)
        .exclude(status=HazardStatus.VOIDED)
    )
    grouped = (
        hazards.order_by()
        .annotate(y=ExtractYear("found_on"), m=ExtractMonth("found_on"))
        .values("y", "m")
        .annotate(found=Count("pk"), closed=Count("pk", filter=Q(status=HazardStatus.CLOSED)))
    )
    hazard_rows = _kept("dashboard.hazard_trend", grouped, lambda: list(grouped))
    tz = timezone.get_current_timezone()
    accidents = (
        scope.narrow(Accident.objects.visible_to(scope.user))
        .filter(
            occurred_at__gte=datetime.datetime(year - 1, 1, 1, tzinfo=tz),
            occurred_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=tz),
        )
        .order_by()
        .annotate(y=ExtractYear("occurred_at", tzinfo=tz), m=ExtractMonth("occurred_at", tzinfo=tz))
        .values("y", "m")
        .annotate(n=Count("pk"), d=Sum("deaths"))
    )
    series: dict[str, dict[int, list[int]]] = {
        name: {year - 1: [0] * 12, year: [0] * 12}
        for name in ("found", "closed", "accidents", "deaths")
    }
    for row in hazard_rows:
        series["found"][row["y"]][row["m"] - 1] = row["found"]
        series["closed"][row["y"]][row["m"] - 1] = row["closed"]
    for row in accidents:
        series["accidents"][row["y"]][row["m"] - 1] = row["n"]
        series["deaths"][row["y"]][row["m"] - 1] = row["d"] or 0
    # this year's months after today are not yet known: no point rather than a zero
    last_month = today.month if year == today.year else 12
    months = [_("%(m)s月") % {"m": m} for m in range(1, 13)]

    def month_urls(y: int) -> list[str]:
        urls = []
        for m in range(1, 13):
            first = datetime.date(y, m, 1)
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(1)
            urls.append(
                scope.link(
                    "hazards:list",
                    stage="valid",
                    found_after=first.isoformat(),
                    found_before=last.isoformat(),
                )
            )
        return urls

    def this_year(values: list[int]) -> list[int | None]:
        return [v if i < last_month else None for i, v in enumerate(values)]

    return {
        "year": year,
        "months": months,
        "hazards": {
            "series": [
                {
                    "name": _("%(y)s年发现") % {"y": year - 1},
                    "data": series["found"][year - 1],
                    "urls": month_urls(year - 1),
                },
                {
                    "name": _("%(y)s年发现") % {"y": year},
                    "data": this_year(series["found"][year]),
                    "urls": month_urls(year),
                },
                {
                    "name": _("%(y)s年已销号") % {"y": year},
                    "data": this_year(series["closed"][year]),
                    "urls": month_urls(year),
                },
            ]
        },
        "accidents": {
            "series": [
                {"name": _("%(y)s年事故") % {"y": year - 1}, "data": series["accidents"][year - 1]},
                {
                    "name": _("%(y)s年事故") % {"y": year},
                    "data": this_year(series["accidents"][year]),
                },
                {"name": _("%(y)s年死亡") % {"y": year - 1}, "data": series["deaths"][year - 1]},
                {"name": _("%(y)s年死亡") % {"y": year}, "data": this_year(series["deaths"][year])},
            ]
        },
    }


# --- rankings --------------------------------------------------------------------------------


@dataclass
class RankRow:
    unit_id: int
    name: str
    found: int
    closed: int
    overdue: int
    planned: int
    done: int
    found_url: str
    closed_url: str
    overdue_url: str
    plan_url: str

    closing_rate: Decimal | None = field(init=False)
    overdue_rate: Decimal | None = field(init=False)
    plan_rate: Decimal | None = field(init=False)

    def __post_init__(self) -> None:
        # computed once: the page, the briefing and the export read each several times
        self.closing_rate = rate(self.closed, self.found)
        self.overdue_rate = rate(self.overdue, self.found)
        self.plan_rate = rate(self.done, self.planned)


def _rank(rows: list[RankRow]) -> list[RankRow]:
    """By 销号率 (highest first; none last), then 逾期率 (lowest first), then the name."""

    def key(row: RankRow):
        closing = row.closing_rate
        overdue = row.overdue_rate
        return (
            closing is None,
            -(closing or 0),
            overdue is None,
            overdue or 0,
            row.name,
        )

    return sorted(rows, key=key)


def rankings(scope: Scope, period: Period, today: datetime.date, plans) -> dict:
    """Towns and departments ranked by 销号率, 逾期率 and inspections against plan: the
    hazards found in the period grouped by town and by industry (a department's are
    those of the industries it supervises in the current map, as the ledger's 监管部门
    filter counts them). Only for the county: three queries (and the plan rows)."""
    hazards = _counted_hazards(scope, period)
    counts = {
        "found": Count("pk"),
        "closed": Count("pk", filter=Q(status=HazardStatus.CLOSED)),
        "overdue": Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
    }
    by_town_q = hazards.order_by().values("town_id").annotate(**counts)
    by_industry_q = hazards.order_by().values("industry_id").annotate(**counts)
    by_town = {
        r["town_id"]: r for r in _kept("dashboard.rank_towns", by_town_q, lambda: list(by_town_q))
    }
    by_industry = {
        r["industry_id"]: r
        for r in _kept("dashboard.rank_industries", by_industry_q, lambda: list(by_industry_q))
    }
    plan_by_unit = {r.pk: r for r in plans}
    current = SupervisionMap.objects.current()
    supervised: dict[int, set[int]] = defaultdict(set)
    if current is not None:
        for department_id, industry_id in SupervisionAssignment.objects.filter(
            supervision_map=current
        ).values_list("department_id", "industry_id"):
            supervised[department_id].add(industry_id)
    units = Organisation.objects.filter(
        is_active=True, kind__in=(*TOWN_LEVEL_KINDS, OrganisationKind.DEPARTMENT)
    ).order_by("sort_order", "code")
    found = {
        "stage": "valid",
        "found_after": period.start.isoformat(),
        "found_before": period.end.isoformat(),
    }
    plan_url = reverse("enforcement:plan_progress") + "?" + urlencode({"year": period.trend_year})
    towns: list[RankRow] = []
    departments: list[RankRow] = []
    empty = {"found": 0, "closed": 0, "overdue": 0}
    for unit in units:
        if unit.kind in TOWN_LEVEL_KINDS:
            c = by_town.get(unit.pk, empty)
            params = {**found, "town": unit.pk}
            target = towns
        else:
            rows = [by_industry.get(i, empty) for i in supervised.get(unit.pk, ())]
            c = {k: sum(r[k] for r in rows) for k in empty}
            params = {**found, "department": unit.pk}
            target = departments
        plan = plan_by_unit.get(unit.pk)
        base = reverse("hazards:list") + "?"
        target.append(
            RankRow(
                unit_id=unit.pk,
                name=unit.short_name or unit.name,
                found=c["found"],
                closed=c["closed"],
                overdue=c["overdue"],
                planned=plan.planned if plan else 0,
                done=plan.done if plan else 0,
                found_url=base + urlencode(params),
                closed_url=base + urlencode({**params, "status": HazardStatus.CLOSED}),
                overdue_url=base + urlencode({**params, "overdue": "true"}),
                plan_url=plan_url,
            )
        )
    return {"towns": _rank(towns), "departments": _rank(departments)}


# --- the whole dashboard ---------------------------------------------------------------------


def dashboard(scope: Scope, period: Period, today: datetime.date | None = None) -> dict:
    """Every section, the trends and (for the county) the rankings: a constant number of
    queries."""
    today = today or timezone.localdate()
    plans = kept_unit_progress(scope.user, period.trend_year, today)
    sections: list[Section] = []
    for _key, provider in PROVIDERS:
        sections.extend(provider(scope, period, today, plans))
    result = {
        "sections": sections,
        "by_key": {section.key: section for section in sections},
        "trends": trends(scope, period, today),
        "rankings": None,
    }
    if scope.kind == COUNTY and scope.town_filter is None:
        result["rankings"] = rankings(scope, period, today, plans)
    return result
