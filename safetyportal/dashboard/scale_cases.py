"""Scale data for penalty cases (issue 10 item 6): ~2,000 per county-sized 5,000
enterprises (city: ~20,000), mostly closed simple-procedure fines and warnings within the
simple cap, some general cases, each with its numbered decision document. Rows respect the
rules: simple fines <= 200 / 3,000 yuan, decisions within 90 days of 立案, payment within
15 days of service; numbers per unit, year and kind without gaps (the counters are set to
the last number written)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps

from safetyportal.dashboard.scale import aware

CHUNK = 20_000


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def cases(ctx: Any) -> None:
    """Registered as generator "cases" by the generate_scale command."""
    rng = ctx.rng("cases")
    today = ctx.today
    enterprises = ctx.data["enterprises"]
    town_users = ctx.data["town_users"]
    departments = ctx.data["departments"]
    DelegatedItem = apps.get_model("enforcement", "DelegatedItem")
    item, _created = DelegatedItem.objects.get_or_create(
        code="SCALE-001",
        defaults={
            "name": "未在有较大危险因素的场所设置安全警示标志（规模数据）",
            "delegating_department_id": departments[0],
            "legal_basis": "《中华人民共和国安全生产法》第三十五条",
            "penalty_basis": "《中华人民共和国安全生产法》第九十九条",
            "allows_warning": True,
            "min_fine": Decimal("0.01"),
            "max_fine": Decimal("50000"),
        },
    )
    total = int(2_000 * ctx.factor)
    first = ctx.reserve("enforcement.Case", total)
    first_doc = ctx.reserve("enforcement.CaseDocument", total)
    counters: dict[tuple[int, int, str], int] = {}
    case_rows: list[tuple] = []
    doc_rows: list[tuple] = []
    officer_rows: list[tuple[int, int]] = []
    for i in range(total):
        pk, town, *_rest = enterprises[rng.randrange(len(enterprises))]
        name = _rest[-1]
        actors = town_users.get(town) or []
        if not actors:
            continue
        actor = rng.choice(actors)
        general = rng.random() < 0.15
        filed = today - datetime.timedelta(days=rng.randrange(1, 365 * 2))
        decided: datetime.date | None
        if general:
            decided = filed + datetime.timedelta(days=rng.randrange(20, 90))
            fine = Decimal(rng.randrange(5_000, 30_000))
            kind, abbr = "decision", "罚决"
        else:
            decided = filed
            fine = Decimal(rng.randrange(50, 3_000))
            kind, abbr = "simple_decision", "简罚"
        open_case = decided > today
        if open_case:
            decided = None
        served = decided + datetime.timedelta(days=rng.randrange(0, 7)) if decided else None
        paid = served + datetime.timedelta(days=rng.randrange(0, 15)) if served else None
        status = "closed" if paid and paid <= today else ("investigating" if general else "served")
        case_pk = first + i
        number = ""
        if decided:
            key = (town, decided.year, kind)
            counters[key] = counters.get(key, 0) + 1
            number = f"澧{abbr}〔{decided.year}〕{counters[key]}号"
            doc_rows.append(
                (
                    first_doc + i,
                    case_pk,
                    town,
                    kind,
                    decided.year,
                    counters[key],
                    number,
                    decided,
                    "应急管理局（委托实施）",
                    aware(decided),
                )
            )
        case_rows.append(
            (
                case_pk,
                town,
                town,
                "general" if general else "simple",
                item.pk,
                pk,
                "organisation",
                name,
                "规模数据：未设置安全警示标志",
                status,
                "fine",
                fine,
                filed,
                decided,
                number,
                paid if status == "closed" else None,
                actor,
                aware(filed),
                served,
                (served + datetime.timedelta(days=15)) if served else None,
                paid if status == "closed" else None,
            )
        )
        officer_rows.append((case_pk, actor))
    for chunk in chunks(case_rows):
        ctx.copy(
            "enforcement.Case",
            [
                "id",
                "unit",
                "town",
                "procedure",
                "item",
                "enterprise",
                "party_kind",
                "party_name",
                "facts",
                "status",
                "penalty_kind",
                "fine",
                "filed_on",
                "decided_on",
                "decision_number",
                "closed_on",
                "created_by",
                "created_at",
                "served_on",
                "payment_due",
                "paid_on",
            ],
            chunk,
        )
    for chunk in chunks(doc_rows):
        ctx.copy(
            "enforcement.CaseDocument",
            [
                "id",
                "case",
                "unit",
                "kind",
                "year",
                "number",
                "label",
                "issued_on",
                "issuing_authority",
                "created_at",
            ],
            chunk,
        )
    Through = apps.get_model("enforcement", "Case").officers.through
    Through.objects.bulk_create(
        [Through(case_id=c, user_id=u) for c, u in officer_rows], batch_size=5000
    )
    DocumentCounter = apps.get_model("enforcement", "DocumentCounter")
    for (unit, year, kind), last in counters.items():
        DocumentCounter.objects.update_or_create(
            unit_id=unit, year=year, kind=kind, defaults={"last_number": last}
        )
