"""Scale data for the exposure board and the repeat-offender list (enforcement/exposure,
enforcement/repeat_offenders.py).

The board publishes closed cases. When the cases generator ran first it leaves its closed
cases in `ctx.data["closed_cases"]` as (case id, enterprise id, town id, party name,
item name, facts, penalty kind, fine, decision number, decided on, authority) and this
generator only publishes some of them (the generate_scale command runs both). Without it
(this module was written before the cases generator existed) it writes the penalties itself, standalone: closed simple-
procedure cases decided by the county departments on their own item, about 8 per 100
enterprises a year over two years, with one enterprise in 200 punished 3 times within 150
days (the repeat offenders), and no officers or audit trail (the cases' M2M and history
belong to the cases generator).

Registered as generator "exposure" by the generate_scale command. `ctx` is scale.py's
ScaleContext.

The board then holds 88 published cases a year per 5,000 enterprises (the report's
figure, scaled), one in twenty withdrawn.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps

from safetyportal.dashboard.scale import aware

PER_YEAR_PER_5000 = 88
FACTS = (
    "现场检查发现有较大危险因素的生产场所未设置明显的安全警示标志。",
    "未按规定对从业人员进行安全生产教育和培训，未如实记录培训情况。",
    "特种作业人员未按照规定经专门的安全作业培训并取得相应资格即上岗作业。",
    "未对安全设备进行经常性维护、保养和定期检测。",
)


def _standalone_cases(ctx) -> list[tuple]:
    rng = ctx.rng("exposure-cases")
    DelegatedItem = apps.get_model("enforcement", "DelegatedItem")
    Organisation = apps.get_model("responsibilities", "Organisation")
    department = ctx.data["departments"][0]
    department_name = Organisation.objects.get(pk=department).name
    item, _ = DelegatedItem.objects.get_or_create(
        code="SCALE-EXPO",
        defaults={
            "name": "未在有较大危险因素的场所设置明显的安全警示标志",
            "delegating_department_id": department,
            "legal_basis": "《中华人民共和国安全生产法》第三十五条",
            "penalty_basis": "《中华人民共和国安全生产法》第九十九条第一项",
            "allows_warning": True,
            "min_fine": Decimal("1"),
            "max_fine": Decimal("50000"),
        },
    )
    creator = ctx.data["users"]["county_office"][0]
    enterprises = ctx.data["enterprises"]
    per_year = max(8, round(len(enterprises) * 0.08))
    plans: list[tuple[tuple, datetime.date]] = []
    for _ in range(per_year * 2):
        plans.append(
            (rng.choice(enterprises), ctx.today - datetime.timedelta(days=rng.randrange(730)))
        )
    for facts in rng.sample(enterprises, max(2, len(enterprises) // 200)):
        start = rng.randrange(0, 70)  # 3 within 150 days ending <= 70 days ago: flagged
        for k in range(3):
            plans.append((facts, ctx.today - datetime.timedelta(days=start + k * 50)))
    first = ctx.reserve("enforcement.Case", len(plans))
    rows, closed = [], []
    for offset, ((enterprise, town, *_rest), decided) in enumerate(plans):
        pk = first + offset
        name = _rest[-1]
        warning = rng.random() < 0.2
        fine = None if warning else Decimal(rng.choice([500, 1000, 2000, 3000]))
        number = f"澧应急简罚〔{decided.year}〕{pk}号"
        facts = rng.choice(FACTS)
        rows.append(
            (pk, department, town, "simple", item.pk, enterprise, "organisation", name, facts,
             "closed", "warning" if warning else "fine", fine, decided, decided, number,
             decided, creator, aware(decided, 10))
        )  # fmt: skip
        closed.append(
            (pk, enterprise, town, name, item.name, facts,
             "warning" if warning else "fine", fine, number, decided, department_name)
        )  # fmt: skip
    ctx.copy(
        "enforcement.Case",
        ["id", "unit", "town", "procedure", "item", "enterprise", "party_kind", "party_name",
         "facts", "status", "penalty_kind", "fine", "filed_on", "decided_on", "decision_number",
         "closed_on", "created_by", "created_at"],
        rows,
    )  # fmt: skip
    return closed


def exposure(ctx) -> None:
    rng = ctx.rng("exposure")
    # the cases generator's closed cases (an empty list too: then the board stays empty)
    closed = ctx.data["closed_cases"] if "closed_cases" in ctx.data else _standalone_cases(ctx)
    Organisation = apps.get_model("responsibilities", "Organisation")
    town_names = dict(
        Organisation.objects.filter(pk__in=ctx.data["towns"]).values_list("pk", "name")
    )
    county = ctx.data["users"]["county_office"][0]
    per_year = max(1, round(PER_YEAR_PER_5000 * ctx.factor))
    chosen: list[tuple] = []
    for year in (ctx.today.year, ctx.today.year - 1):
        of_year = sorted((c for c in closed if c[9].year == year), key=lambda c: (c[9], c[0]))
        chosen += rng.sample(of_year, min(per_year, len(of_year)))
    first = ctx.reserve("enforcement.ExposedCase", len(chosen))
    rows = []
    for offset, (
        case,
        _e,
        town,
        party,
        item,
        facts,
        kind,
        fine,
        number,
        decided,
        authority,
    ) in enumerate(chosen):
        published = aware(
            min(ctx.today, decided + datetime.timedelta(days=rng.randrange(3, 30))), 15
        )
        withdrawn = rng.random() < 0.05
        rows.append(
            (first + offset, case, party, town, town_names.get(town, ""), item, facts[:300], kind,
             fine, number, decided, authority, published, county,
             published + datetime.timedelta(days=2) if withdrawn else None,
             county if withdrawn else None, "处罚决定已被依法撤销" if withdrawn else "")
        )  # fmt: skip
    ctx.copy(
        "enforcement.ExposedCase",
        ["id", "case", "party_name", "town", "town_name", "item_name", "facts_summary",
         "penalty_kind", "fine", "decision_number", "decided_on", "authority", "published_at",
         "published_by", "withdrawn_at", "withdrawn_by", "withdrawal_reason"],
        rows,
    )  # fmt: skip
