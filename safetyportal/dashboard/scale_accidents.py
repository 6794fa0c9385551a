"""Scale data for the accident ledger: a few hundred accidents a year per 5,000
enterprises (a city: a few thousand over 5 years), graded and flagged by the rules' own
functions, most of the older ones investigated to closed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from enforcement.accidents import rules
from safetyportal.dashboard.scale import ScaleContext, chunks

PLACES = ("厂区", "车间", "仓库", "工地", "井场", "路口", "门店", "码头")
COURSES = ("高处坠落", "物体打击", "机械伤害", "车辆伤害", "触电", "灼烫", "火灾", "中毒窒息")


def accidents(ctx: ScaleContext) -> None:
    rng = ctx.rng("accidents")
    years = 5
    count = max(20, round(60 * ctx.factor))  # a year: a city of 50,000 enterprises ~600
    enterprises = ctx.data["enterprises"]
    office = ctx.data["office"]
    recorder = ctx.data["users"]["county_office"][0]
    now = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=datetime.UTC)
    rows = []
    for _ in range(count * years):
        pk, town, industry, *_rest = rng.choice(enterprises)
        occurred = now - datetime.timedelta(minutes=rng.randrange(60, 365 * years * 24 * 60))
        reported = occurred + datetime.timedelta(minutes=rng.choice((10, 30, 45, 60, 90, 180)))
        deaths = rng.choices((0, 1, 2, 3, 4), weights=(40, 45, 10, 4, 1))[0]
        injuries = rng.choices((0, 1, 2, 12), weights=(60, 30, 9, 1))[0]
        loss = Decimal(rng.randrange(10_000, 3_000_000))
        occurred_on = occurred.date()
        age = (ctx.today - occurred_on).days
        status, started, submitted, decided, closed = "reported", None, None, None, None
        if age > 3:
            status, started = "investigating", occurred_on + datetime.timedelta(days=2)
        if age > 55:
            status, submitted = "report_submitted", occurred_on + datetime.timedelta(days=50)
        if age > 65:
            status, decided = "decided", occurred_on + datetime.timedelta(days=60)
        if age > 80:
            status, closed = "closed", occurred_on + datetime.timedelta(days=75)
        rows.append(
            (
                office, town, pk, f"企业{pk}", industry, "production", occurred, reported,
                rng.choice(PLACES), rng.choice(COURSES), deaths, injuries, 0, loss, "",
                "负责人", recorder,
                rules.accident_grade(deaths, injuries, loss),
                rules.is_late_report(occurred, reported),
                status, office if started else None, started, submitted, decided, closed,
                now, now,
            )
        )  # fmt: skip
    columns = [
        "unit", "town", "enterprise", "party_name", "industry", "kind", "occurred_at",
        "reported_at", "place", "course", "deaths", "serious_injuries", "missing",
        "direct_loss", "measures", "reported_by", "recorded_by", "grade", "is_late", "status",
        "lead_unit", "investigation_started_on", "report_submitted_on", "decided_on",
        "closed_on", "created_at", "updated_at",
    ]  # fmt: skip
    for chunk in chunks(rows):
        first = ctx.reserve("enforcement.Accident", len(chunk))
        ctx.copy(
            "enforcement.Accident",
            ["id", *columns],
            [(first + i, *row) for i, row in enumerate(chunk)],
        )
