"""Scale data for inspection plans (分季到月) and 一对一包联 (registered as generator "plans").

For the current year: one plan per town with about one target per enterprise of the town
(a month spread over the year, assigned to the town's officials) and one plan per
department with its high-risk enterprises (重点包保). Targets of past months are done on
about four in five (done_on in the month, never after today). Every town is paired with a
department official, with a few guidance visits.
"""

from __future__ import annotations

import datetime

from django.apps import apps

from safetyportal.dashboard.scale import aware


def _done_on(rng, year: int, month: int, today: datetime.date) -> datetime.date:
    day = datetime.date(year, month, 1) + datetime.timedelta(days=rng.randrange(28))
    return min(day, today)


def plans(ctx) -> None:
    """Registered by scale.py (this module imports nothing of it: no import cycle)."""
    rng = ctx.rng("plans")
    today = ctx.today
    year = today.year
    town_users: dict[int, list[int]] = ctx.data.get("town_users", {})
    dept_users: dict[int, list[int]] = ctx.data.get("dept_users", {})
    creator = ctx.data["users"]["county_office"][0]
    Assignment = apps.get_model("responsibilities", "SupervisionAssignment")
    SupervisionMap = apps.get_model("responsibilities", "SupervisionMap")
    current = SupervisionMap.objects.order_by("-id").first()
    supervisor = (
        dict(
            Assignment.objects.filter(supervision_map=current).values_list(
                "industry_id", "department_id"
            )
        )
        if current
        else {}
    )
    Plan = apps.get_model("enforcement", "InspectionPlan")
    planned = set(Plan.objects.filter(year=year).values_list("unit_id", flat=True))
    units = [("town", pk) for pk in ctx.data["towns"] if town_users.get(pk)] + [
        ("department", pk) for pk in ctx.data.get("departments", []) if dept_users.get(pk)
    ]
    units = [unit for unit in units if unit[1] not in planned]  # a unit plans a year once
    first_plan = ctx.reserve("enforcement.InspectionPlan", len(units))
    plan_of = {unit: first_plan + i for i, unit in enumerate(units)}
    ctx.copy(
        "enforcement.InspectionPlan",
        ["id", "unit", "year", "title", "created_by", "created_at"],
        [
            (pk, unit, year, f"{year}年度执法检查计划", creator, aware(datetime.date(year, 1, 5)))
            for (_kind, unit), pk in plan_of.items()
        ],
    )
    rows = []
    for index, (pk, town, industry, _code, high_risk, *_rest) in enumerate(ctx.data["enterprises"]):
        owners = []
        if ("town", town) in plan_of:
            owners.append(
                (plan_of[("town", town)], town_users[town], "key" if high_risk else "area")
            )
        dept = supervisor.get(industry)
        if high_risk and dept is not None and ("department", dept) in plan_of:
            owners.append((plan_of[("department", dept)], dept_users[dept], "key"))
        for plan, officials, kind in owners:
            month = 1 + (index * 7 + rng.randrange(3)) % 12
            done = (year, month) < (today.year, today.month) and rng.random() < 0.8
            rows.append(
                (plan, pk, month, kind, officials[index % len(officials)],
                 _done_on(rng, year, month, today) if done else None)
            )  # fmt: skip
    first = ctx.reserve("enforcement.PlanTarget", len(rows))
    ctx.copy(
        "enforcement.PlanTarget",
        ["id", "plan", "enterprise", "month", "kind", "assigned_to", "done_on"],
        [(first + i, *row) for i, row in enumerate(rows)],
    )
    chiefs = [u for pks in dept_users.values() for u in pks[:1]]
    if not chiefs:
        return
    Pairing = apps.get_model("enforcement", "TownPairing")
    paired = set(Pairing.objects.filter(year=year).values_list("town_id", flat=True))
    towns = [town for town in ctx.data["towns"] if town not in paired]
    first_pairing = ctx.reserve("enforcement.TownPairing", len(towns))
    ctx.copy(
        "enforcement.TownPairing",
        ["id", "year", "chief", "town", "note", "created_at"],
        [
            (
                first_pairing + i,
                year,
                chiefs[i % len(chiefs)],
                town,
                "",
                aware(datetime.date(year, 1, 5)),
            )
            for i, town in enumerate(towns)
        ],
    )
    visits = []
    for i in range(len(towns)):
        for n in range(3):
            day = min(datetime.date(year, 1 + (3 * n + i) % 12, 10), today)
            visits.append(
                (first_pairing + i, day, "督导执法检查计划落实情况", "", "",
                 chiefs[i % len(chiefs)], aware(day))
            )  # fmt: skip
    first_visit = ctx.reserve("enforcement.GuidanceVisit", len(visits))
    ctx.copy(
        "enforcement.GuidanceVisit",
        ["id", "pairing", "visited_on", "content", "issues_found", "follow_up", "recorded_by",
         "created_at"],
        [(first_visit + i, *v) for i, v in enumerate(visits)],
    )  # fmt: skip
