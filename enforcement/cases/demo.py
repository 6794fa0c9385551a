"""Demo penalty cases (issue 10 item 6), built through the services so every rule of
enforcement/rules.py holds and every document is numbered with take_number. It needs the
authority demo (items, the towns' delegations, officers' certificates): without them it
says so and writes nothing.

This year: at least 120 closed cases (simple fines and warnings, general cases carried to
结案), a few general cases in progress with deadlines near, and some enterprises punished
several times; last year: a smaller set of closed cases."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from enforcement import rules
from enforcement.authority.models import PartyKind, Procedure, TownAuthorisation
from enforcement.cases import services
from enforcement.cases.models import Case
from enterprises.models import Enterprise
from safetyportal.accounts.models import User

FACTS = [
    "现场检查发现有较大危险因素的作业场所未设置安全警示标志",
    "从业人员未按规定佩戴和使用劳动防护用品",
    "未如实记录安全生产教育和培训情况",
    "安全设备的维护、保养和定期检测未按规定进行",
]


def _officers(unit, day):
    ids = rules.certified_officer_ids(
        User.objects.filter(organisation=unit, is_active=True).values_list("pk", flat=True), day
    )
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _simple_penalties(item) -> list[Decimal | None]:
    """The penalties the simple procedure allows on `item` for an organisation (None: a
    warning), from the rules: the amounts a town commonly fines, or the item's minimum."""
    choices: list[Decimal | None] = [
        fine
        for fine in sorted({Decimal(n) for n in (500, 1000, 2000, 3000)} | {item.min_fine or 0})
        if fine > 0
        and rules.fine_refusal(
            item=item, procedure=Procedure.SIMPLE, party_kind=PartyKind.ORGANISATION, fine=fine
        )
        is None
    ]
    if (
        rules.fine_refusal(
            item=item, procedure=Procedure.SIMPLE, party_kind=PartyKind.ORGANISATION, fine=None
        )
        is None
    ):
        choices.append(None)
    return choices


def load_cases_demo(stdout) -> None:
    if Case.objects.exists():
        stdout.write("行政处罚案件：已有演示数据，跳过。")
        return
    today = timezone.localdate()
    rng = random.Random(2026)
    towns = []
    for authorisation in TownAuthorisation.objects.filter(
        valid_from__lte=today.replace(month=1, day=1), valid_until__gte=today
    ).select_related("town"):
        officers = _officers(authorisation.town, today)
        items = [
            (i, penalties)
            for i in authorisation.items.filter(is_active=True, allows_simple=True).order_by(
                "sort_order", "code"
            )
            if (penalties := _simple_penalties(i))
        ]
        enterprises = list(Enterprise.objects.filter(town=authorisation.town)[:8])
        if officers and items and enterprises:
            towns.append((authorisation, officers, items, enterprises))
    if not towns:
        stdout.write("行政处罚案件：没有持证执法人员的镇街委托书，跳过。")
        return
    closed = 0
    start = today.replace(month=1, day=1)
    span = max((today - start).days, 1)
    # decided in date order, so each unit's numbers follow its dates as they would
    decision_days = sorted(start + datetime.timedelta(days=rng.randrange(span)) for _ in range(125))
    index = 0
    while closed < 125:
        authorisation, officers, items, enterprises = towns[index % len(towns)]
        index += 1
        actor = officers[0]
        item, penalties = rng.choice(items)
        enterprise = enterprises[index % 3]  # a few enterprises punished several times
        day = decision_days[closed]
        fines = [p for p in penalties if p is not None]
        warning = not fines or (None in penalties and rng.random() < 0.2)
        fine = None if warning else rng.choice(fines)
        case = services.create_simple_case(
            actor=actor,
            item=item,
            party_kind=PartyKind.ORGANISATION,
            enterprise=enterprise,
            facts=rng.choice(FACTS),
            penalty_kind="warning" if warning else "fine",
            fine=None if warning else fine,
            officers=[actor],
            decided_on=day,
        )
        if not warning:
            paid = min(day + datetime.timedelta(days=rng.randrange(0, 15)), today)
            services.record_payment(actor=actor, case_id=case.pk, paid_on=paid)
        closed += 1
    # general cases in progress, deadlines near, where a town may use the general procedure
    for authorisation, officers, _items, enterprises in towns:
        if not authorisation.allows_general or len(officers) < 2:
            continue
        general_items = [i for i in authorisation.items.all() if i.allows_general]
        for back in (84, 60, 30):
            services.open_general_case(
                actor=officers[0],
                item=general_items[0],
                party_kind=PartyKind.ORGANISATION,
                enterprise=enterprises[back % len(enterprises)],
                facts=FACTS[back % len(FACTS)],
                officers=officers[:2],
                filed_on=today - datetime.timedelta(days=back),
            )
    stdout.write(f"行政处罚案件：共 {Case.objects.count()} 件（本年度已结案 {closed} 件）。")


__all__ = ["load_cases_demo"]
