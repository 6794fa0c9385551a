"""Progress against plan, counted in SQL (one aggregate query per list, never per target).

planned = targets; done = targets with done_on; due = not done, planned for this month;
overdue = not done, planned for a past month (every month of a past year); rate = done /
planned in per cent (None for an empty plan).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from enforcement.permissions import planning_units_scope
from enforcement.plans.models import InspectionPlan, PlanTarget
from responsibilities.models import TOWN_LEVEL_KINDS, Organisation, OrganisationKind
from safetyportal.core.figures import kept, sql_key, touch, watch

# the progress figures (ADR 0017): a year's targets are ~65,000 at a city's size, so the
# aggregates are kept until a target, a plan or a unit changes (a new month or day is a
# new key: today's year and month are in the SQL)
PROGRESS_TOPIC = "plans.progress"
watch(PROGRESS_TOPIC, PlanTarget, fields=("plan", "month", "done_on"))
watch(PROGRESS_TOPIC, InspectionPlan, fields=("unit", "year"))
watch(
    PROGRESS_TOPIC,
    Organisation,
    fields=("name", "short_name", "kind", "is_active", "sort_order", "code", "parent"),
)


def touch_progress() -> None:
    """After a bulk_create or QuerySet.update of targets (no signal)."""
    touch(PROGRESS_TOPIC)


def _kept(name: str, queryset: QuerySet, compute):
    try:
        key = sql_key(queryset)
    except EmptyResultSet:  # a query that matches nothing by construction: nothing to keep
        return compute()
    return kept(name, topics=(PROGRESS_TOPIC,), scope=(key,), compute=compute)


def _progress(prefix: str, year_field: str, today: datetime.date, only: Q | None = None) -> dict:
    """Count annotations over `prefix` (the targets relation) for plans whose year is
    `year_field`, counting only rows matching `only`."""
    only = only or Q()
    open_ = only & Q(**{f"{prefix}done_on__isnull": True})
    past = Q(**{f"{year_field}__lt": today.year}) | Q(
        **{year_field: today.year, f"{prefix}month__lt": today.month}
    )
    now = Q(**{year_field: today.year, f"{prefix}month": today.month})
    pk = f"{prefix}id" if prefix else "id"
    return {
        "planned": Count(pk, filter=only),
        "done": Count(pk, filter=only & Q(**{f"{prefix}done_on__isnull": False})),
        "due": Count(pk, filter=open_ & now),
        "overdue": Count(pk, filter=open_ & past),
    }


def _rate():
    return Case(
        When(planned=0, then=Value(None, output_field=FloatField())),
        default=Cast(F("done"), FloatField()) * 100.0 / Cast(F("planned"), FloatField()),
        output_field=FloatField(),
    )


FIGURES = ("planned", "done", "due", "overdue", "rate")


def attach_progress(plans: list[InspectionPlan], today: datetime.date) -> list[InspectionPlan]:
    """Set planned / done / due / overdue / rate on each of `plans` (a page already read):
    one query grouping only these plans' targets, so a paginated list counts and reads its
    plans without aggregating the year's targets for the count as well."""
    grouped = (
        PlanTarget.objects.filter(plan_id__in=[p.pk for p in plans])
        .order_by()
        .values("plan_id")
        .annotate(**_progress("", "plan__year", today))
    )
    rows = _kept("plans.progress_by_plan", grouped, lambda: {r["plan_id"]: r for r in grouped})
    for plan in plans:
        row = rows.get(plan.pk, {})
        for key in ("planned", "done", "due", "overdue"):
            setattr(plan, key, row.get(key, 0))
        plan.rate = plan.done * 100.0 / plan.planned if plan.planned else None
    return plans


SORTS = {
    "unit": ("sort_order", "code"),
    "rate": (F("rate").asc(nulls_first=True), "sort_order"),
    "-rate": (F("rate").desc(nulls_last=True), "sort_order"),
    "overdue": ("overdue", "sort_order"),
    "-overdue": ("-overdue", "sort_order"),
    "planned": ("planned", "sort_order"),
    "-planned": ("-planned", "sort_order"),
}


def unit_progress(user, year: int, today: datetime.date, sort: str = "unit") -> QuerySet:
    """Every unit `user` may see that plans inspections (towns and departments), with its
    plan for `year` (plan_id None when it has none) and the plan's progress: one query."""
    units = Organisation.objects.filter(
        is_active=True, kind__in=(*TOWN_LEVEL_KINDS, OrganisationKind.DEPARTMENT)
    )
    units = units.filter(planning_units_scope(user))
    in_year = Q(inspection_plans__year=year)
    plan = InspectionPlan.objects.filter(unit_id=OuterRef("pk"), year=year).values("pk")[:1]
    counts = _progress("inspection_plans__targets__", "inspection_plans__year", today, in_year)
    return (
        units.annotate(plan_id=Subquery(plan), **counts)
        .annotate(rate=_rate())
        .order_by(*SORTS.get(sort, SORTS["unit"]))
    )


def kept_unit_progress(user, year: int, today: datetime.date, sort: str = "unit") -> list:
    """`unit_progress` as a list, kept (ADR 0017) until a target, plan or unit changes."""
    queryset = unit_progress(user, year, today, sort)
    return _kept("plans.unit_progress", queryset, lambda: list(queryset))


def month_breakdown(plan: InspectionPlan, today: datetime.date) -> list[dict]:
    """Twelve rows (month, quarter, planned, done, due, overdue), from one grouped query."""
    rows = {
        r["month"]: r
        for r in PlanTarget.objects.filter(plan=plan)
        .order_by()
        .values("month")
        .annotate(
            planned=Count("id"),
            done=Count("id", filter=Q(done_on__isnull=False)),
        )
    }
    months = []
    for month in range(1, 13):
        row = rows.get(month, {"planned": 0, "done": 0})
        open_ = row["planned"] - row["done"]
        is_past = (plan.year, month) < (today.year, today.month)
        is_now = (plan.year, month) == (today.year, today.month)
        months.append(
            {
                "month": month,
                "quarter": (month - 1) // 3 + 1,
                "planned": row["planned"],
                "done": row["done"],
                "due": open_ if is_now else 0,
                "overdue": open_ if is_past else 0,
            }
        )
    return months


def quarter_breakdown(months: list[dict]) -> list[dict]:
    quarters = []
    for q in range(1, 5):
        part = [m for m in months if m["quarter"] == q]
        totals = {k: sum(m[k] for m in part) for k in ("planned", "done", "due", "overdue")}
        quarters.append({"quarter": q, "months": part, **totals})
    return quarters


def target_state_filter(state: str, plan_year: int, today: datetime.date) -> Q | None:
    """The Q selecting targets of a plan of `plan_year` in `state`."""
    if state == "done":
        return Q(done_on__isnull=False)
    open_ = Q(done_on__isnull=True)
    if plan_year < today.year:
        past, now = Q(), Q(pk__in=[])
    elif plan_year == today.year:
        past, now = Q(month__lt=today.month), Q(month=today.month)
    else:
        past, now = Q(pk__in=[]), Q(pk__in=[])
    if state == "overdue":
        return open_ & past
    if state == "due":
        return open_ & now
    if state == "upcoming":
        return open_ & ~past & ~now
    if state == "open":
        return open_
    return None
