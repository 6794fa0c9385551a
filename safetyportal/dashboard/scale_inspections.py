"""Scale data for inspections (issue 10): about two inspections per enterprise over the
last year (city: ~100,000), two or three certified officers each (their certificates are
written here, valid over the year), checklists answered, findings on ~45 % of them; a
finding is linked to a ledger hazard of the same enterprise found that day or later where
one is free (followed up), the rest are 只检查不执法. One in six inspections is a
department's (the one supervising the industry) jointly with the town.
"""

from __future__ import annotations

import datetime

from django.apps import apps

from safetyportal.dashboard.scale import ScaleContext, aware

PER_ENTERPRISE = 2
FINDING_TEXTS = (
    ("一楼仓库", "安全出口被货物堵塞"),
    ("配电房", "配电箱未可靠接地"),
    ("车间", "砂轮机防护罩缺失"),
    ("厨房", "可燃气体报警装置未安装"),
    ("宿舍楼", "电动自行车在楼道内充电"),
    ("办公楼", "灭火器过期未更换"),
)


def _templates(ctx: ScaleContext) -> tuple[dict, dict]:
    """The current checklist per industry (None: general) and each template's items; a
    general one with five items is written when there is none."""
    Template = apps.get_model("enforcement", "ChecklistTemplate")
    Item = apps.get_model("enforcement", "ChecklistItem")
    if not Template.objects.filter(industry__isnull=True, is_current=True).exists():
        first = ctx.reserve("enforcement.ChecklistTemplate", 1)
        ctx.copy(
            "enforcement.ChecklistTemplate",
            ["id", "industry", "title", "version", "is_current", "created_at"],
            [(first, None, "通用安全生产检查表", 1, True, aware(ctx.today, 8))],
        )
        item = ctx.reserve("enforcement.ChecklistItem", 5)
        ctx.copy(
            "enforcement.ChecklistItem",
            ["id", "template", "order", "text", "basis"],
            [(item + n, first, n + 1, f"检查项 {n + 1}", "") for n in range(5)],
        )
    templates = dict(Template.objects.filter(is_current=True).values_list("industry_id", "pk"))
    items: dict[int, list[int]] = {}
    for template, pk in Item.objects.values_list("template_id", "pk").order_by("pk"):
        items.setdefault(template, []).append(pk)
    return templates, items


def inspections(ctx: ScaleContext) -> None:
    rng = ctx.rng("inspections")
    today = ctx.today
    start = today - datetime.timedelta(days=364)
    town_users = ctx.data["town_users"]
    dept_users = ctx.data["dept_users"]
    Map = apps.get_model("responsibilities", "SupervisionMap")
    Assignment = apps.get_model("responsibilities", "SupervisionAssignment")
    current = Map.objects.current()
    supervisor = dict(
        Assignment.objects.filter(supervision_map=current).values_list(
            "industry_id", "department_id"
        )
        if current
        else []
    )
    templates, items = _templates(ctx)

    # certificates for every town and department official, valid over the year
    officials = sorted({pk for pks in [*town_users.values(), *dept_users.values()] for pk in pks})
    first = ctx.reserve("enforcement.OfficerCertificate", len(officials))
    ctx.copy(
        "enforcement.OfficerCertificate",
        ["id", "officer", "number", "issued_on", "expires_on", "revoked_on", "created_at"],
        [
            (first + i, pk, f"SCALE-{first + i:09d}", start - datetime.timedelta(days=365),
             today + datetime.timedelta(days=730), None, aware(start, 8))
            for i, pk in enumerate(officials)
        ],
    )  # fmt: skip

    Hazard = apps.get_model("hazards", "Hazard")
    free: dict[int, list[tuple[datetime.date, int]]] = {}
    for pk, enterprise, found in (
        Hazard.objects.filter(source="inspection", found_on__gte=start)
        .values_list("pk", "enterprise_id", "found_on")
        .order_by("found_on", "pk")
    ):
        free.setdefault(enterprise, []).append((found, pk))

    enterprises = ctx.data["enterprises"]
    count = len(enterprises) * PER_ENTERPRISE
    first = ctx.reserve("enforcement.Inspection", count)
    rows, officer_rows, joint_rows, answer_rows, finding_rows = [], [], [], [], []
    pk = first
    for ent, town, industry, *_rest in enterprises:
        for offset in sorted(rng.sample(range(365), PER_ENTERPRISE)):
            day = start + datetime.timedelta(days=offset)
            department = supervisor.get(industry)
            by_dept = department is not None and dept_users.get(department) and rng.random() < 1 / 6
            unit = department if by_dept else town
            people = dept_users[department] if by_dept else town_users.get(town, [])
            if len(people) < 2:
                continue
            team = rng.sample(people, min(len(people), 3 if rng.random() < 0.2 else 2))
            template = templates.get(industry) or templates.get(None)
            template_items = items.get(template, [])
            has_findings = rng.random() < 0.45
            bad = (
                set(rng.sample(template_items, min(2, len(template_items))))
                if has_findings
                else set()
            )
            findings = sorted(bad) if has_findings else []
            if has_findings and not findings:
                findings = [None]
            followed = False
            for item in findings:
                hazard = None
                pool = free.get(ent)
                while pool and pool[0][0] < day:
                    pool.pop(0)
                if pool and rng.random() < 0.6:
                    hazard = pool.pop(0)[1]
                    followed = True
                location, text = rng.choice(FINDING_TEXTS)
                finding_rows.append((pk, item, text, location, hazard, aware(day, 11)))
            for officer in team:
                officer_rows.append((pk, officer))
            if by_dept:
                joint_rows.append((pk, town))
            for item in template_items:
                answer = "no" if item in bad else ("na" if rng.random() < 0.05 else "yes")
                answer_rows.append((pk, item, answer, ""))
            status = "submitted" if day < today else "draft"
            rows.append(
                (pk, unit, ent, town, None, day, template, status, "现场检查，查阅台账。",
                 "企业负责人", False, len(findings), followed, team[0], aware(day, 10))
            )  # fmt: skip
            pk += 1
    ctx.copy(
        "enforcement.Inspection",
        ["id", "unit", "enterprise", "town", "plan_target", "inspected_on", "checklist",
         "status", "summary", "acknowledged_by", "refused_to_sign", "finding_count",
         "followed_up", "created_by", "created_at"],
        rows,
    )  # fmt: skip
    for label, columns, data in (
        ("enforcement.Inspection_officers", ["inspection", "user"], officer_rows),
        ("enforcement.Inspection_joint_units", ["inspection", "organisation"], joint_rows),
        ("enforcement.InspectionAnswer", ["inspection", "item", "answer", "note"], answer_rows),
        (
            "enforcement.Finding",
            ["inspection", "checklist_item", "description", "location", "hazard", "created_at"],
            finding_rows,
        ),
    ):
        first = ctx.reserve(label, len(data))
        ctx.copy(label, ["id", *columns], [(first + i, *r) for i, r in enumerate(data)])
