"""Scale data for penalty cases (issue 10 item 6): ~2,000 per county-sized 5,000
enterprises (city: ~20,000), mostly closed simple-procedure fines and warnings, some general
cases, each with its numbered documents. The rows keep the law as the demo does (the
checks are enforcement/rules.py's, not copied here):

- a town acts only on the items of its delegation in force on the day, and uses the general
  procedure only when that delegation grants it (two towns in the scale data); a county
  department acts on the items it delegates, under either procedure;
- fines within the item's range, simple ones within the cap (3,000 yuan for an
  organisation); warnings only where the item allows them;
- officers holding a certificate valid on the day: one or two on a simple case, at least
  two on a general case;
- decisions within 90 days of 立案, payment within 15 days of service;
- documents numbered per unit, year and kind in date order, without gaps, labelled with the
  unit's abbreviation (enforcement.numbering.document_label); the counters are set to the
  last number written.

One enterprise in 200 is punished three times within 150 days (the repeat offenders). The
closed cases are handed to the exposure generator in `ctx.data["closed_cases"]`, in the
format scale_exposure.py documents, so it publishes some of them instead of writing its
own.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.apps import apps

from enforcement import rules
from enforcement.cases.models import DOCUMENT_ABBR, DocumentKind
from enforcement.numbering import document_label
from safetyportal.dashboard.scale import aware, chunks

FACTS = (
    "现场检查发现有较大危险因素的生产场所未设置明显的安全警示标志。",
    "未按规定对从业人员进行安全生产教育和培训，未如实记录培训情况。",
    "特种作业人员未按照规定经专门的安全作业培训并取得相应资格即上岗作业。",
    "未对安全设备进行经常性维护、保养和定期检测。",
)
SIMPLE_FINES = (200, 500, 1000, 2000, 3000)
GENERAL_FINES = (5000, 10000, 20000, 30000, 50000)


class _Law:
    """The facts the rules need, loaded once: items, delegations, certificates."""

    def __init__(self, ctx: Any) -> None:
        Item = apps.get_model("enforcement", "DelegatedItem")
        Authorisation = apps.get_model("enforcement", "TownAuthorisation")
        Certificate = apps.get_model("enforcement", "OfficerCertificate")
        Organisation = apps.get_model("responsibilities", "Organisation")
        Map = apps.get_model("responsibilities", "SupervisionMap")
        Assignment = apps.get_model("responsibilities", "SupervisionAssignment")
        self.items = {item.pk: item for item in Item.objects.filter(is_active=True)}
        self.units = {
            o.pk: o
            for o in Organisation.objects.filter(
                pk__in=[*ctx.data["towns"], *ctx.data["departments"]]
            )
        }
        self.by_department: dict[int, list[int]] = {}
        for item in self.items.values():
            self.by_department.setdefault(item.delegating_department_id, []).append(item.pk)
        # per town: its delegations (valid from, until, general?, item ids)
        self.delegations: dict[int, list[tuple]] = {}
        for authorisation in Authorisation.objects.prefetch_related("items"):
            self.delegations.setdefault(authorisation.town_id, []).append(
                (
                    authorisation.valid_from,
                    authorisation.valid_until,
                    authorisation.allows_general,
                    sorted(i.pk for i in authorisation.items.all() if i.pk in self.items),
                )
            )
        self.certificates: dict[int, list[tuple]] = {}
        for officer, issued, expires, revoked in Certificate.objects.values_list(
            "officer_id", "issued_on", "expires_on", "revoked_on"
        ):
            self.certificates.setdefault(officer, []).append((issued, expires, revoked))
        current = Map.objects.current()
        self.supervisor = dict(
            Assignment.objects.filter(supervision_map=current).values_list(
                "industry_id", "department_id"
            )
            if current
            else []
        )

    def certified(self, officers: list[int], *days: datetime.date) -> list[int]:
        """rules.certified_officer_ids, over the certificates loaded once."""
        return [
            officer
            for officer in officers
            if all(
                any(
                    issued <= day <= expires and not (revoked and revoked <= day)
                    for issued, expires, revoked in self.certificates.get(officer, ())
                )
                for day in days
            )
        ]

    def town_items(self, town: int, day: datetime.date, procedure: str) -> list[int]:
        """The items `town` may act on under `procedure` on `day` (rules.authority_refusal)."""
        for valid_from, valid_until, general, items in self.delegations.get(town, ()):
            if valid_from <= day <= valid_until:
                if procedure == "general" and not general:
                    return []
                return items
        return []

    def first_day(self, town: int) -> datetime.date | None:
        days = [valid_from for valid_from, *_rest in self.delegations.get(town, ())]
        return min(days) if days else None


def _penalty(rng, item, procedure: str):
    """A lawful (kind, fine) for `item` under `procedure`, or None (rules.fine_refusal)."""
    if item.allows_warning and rng.random() < (0.25 if procedure == "simple" else 0.05):
        return "warning", None
    amounts = SIMPLE_FINES if procedure == "simple" else GENERAL_FINES
    lawful = [
        Decimal(a)
        for a in amounts
        if rules.fine_refusal(
            item=item, procedure=procedure, party_kind="organisation", fine=Decimal(a)
        )
        is None
    ]
    if lawful:
        return "fine", rng.choice(lawful)
    if item.allows_warning:
        return "warning", None
    return None


def cases(ctx: Any) -> None:
    """Registered as generator "cases" by the generate_scale command."""
    rng = ctx.rng("cases")
    today = ctx.today
    law = _Law(ctx)
    enterprises = ctx.data["enterprises"]
    town_users = ctx.data["town_users"]
    dept_users = ctx.data["dept_users"]
    earliest = today - datetime.timedelta(days=730)

    def plan(enterprise, day=None, force_simple=False):
        """One lawful case about `enterprise` (a row of ctx.data["enterprises"]), or None."""
        ent, town, industry, *_rest = enterprise
        name = _rest[-1]
        department = law.supervisor.get(industry)
        by_department = (
            not force_simple
            and department in law.by_department
            and len(dept_users.get(department, ())) >= 2
            and rng.random() < 0.25
        )
        unit = department if by_department else town
        people = dept_users.get(department, []) if by_department else town_users.get(town, [])
        # a town acts only from its first delegation on
        start = earliest if by_department else max(earliest, law.first_day(town) or today)
        if start >= today:
            return None
        filed = day or start + datetime.timedelta(days=rng.randrange((today - start).days))
        general_share = 0.45 if by_department else 0.35
        procedure = (
            "general"
            if not force_simple
            and rng.random() < general_share
            and (by_department or law.town_items(town, filed, "general"))
            else "simple"
        )
        if by_department and department is not None:
            candidates = [
                i
                for i in law.by_department[department]
                if getattr(law.items[i], f"allows_{procedure}")
            ]
        else:
            candidates = [
                i
                for i in law.town_items(town, filed, procedure)
                if getattr(law.items[i], f"allows_{procedure}")
            ]
        if not candidates:
            return None
        item = law.items[rng.choice(candidates)]
        penalty = _penalty(rng, item, procedure)
        if penalty is None:
            return None
        decided: datetime.date | None = filed
        if procedure == "general":
            decided = filed + datetime.timedelta(days=rng.randrange(20, rules.DECISION_DAYS))
            if decided >= today:
                decided = None  # still under investigation
        days = [d for d in (filed, decided) if d]
        team = law.certified(people, *days)
        needed = rules.GENERAL_MIN_OFFICERS if procedure == "general" else 1
        if len(team) < needed:
            return None
        team = rng.sample(team, min(len(team), 2 if procedure == "general" else needed + 1))
        return SimpleNamespace(
            enterprise=ent,
            town=town,
            name=name,
            unit=unit,
            procedure=procedure,
            item=item,
            penalty=penalty,
            filed=filed,
            decided=decided,
            team=team,
            facts=rng.choice(FACTS),
        )

    total = int(2_000 * ctx.factor)
    plans = []
    for _ in range(total):
        case = plan(enterprises[rng.randrange(len(enterprises))])
        if case is not None:
            plans.append(case)
    # the repeat offenders: three simple penalties within 150 days, ending <= 70 days ago
    for enterprise in rng.sample(enterprises, max(2, len(enterprises) // 200)):
        start = rng.randrange(0, 70)
        for k in range(3):
            day = today - datetime.timedelta(days=start + k * 50)
            for _attempt in range(5):
                case = plan(enterprise, day=day, force_simple=True)
                if case is not None:
                    plans.append(case)
                    break
    plans.sort(key=lambda c: (c.filed, c.enterprise))

    first = ctx.reserve("enforcement.Case", len(plans))
    documents: list[tuple] = []  # (day, case pk, kind)
    for offset, case in enumerate(plans):
        case.pk = first + offset
        kind, fine = case.penalty
        if case.procedure == "simple":
            case.served = case.decided
            case.notified = None
            documents.append((case.decided, case.pk, DocumentKind.SIMPLE_DECISION))
            if kind == "warning":
                case.paid, case.closed, case.status = None, case.decided, "closed"
            else:
                paid = case.served + datetime.timedelta(days=rng.randrange(0, 15))
                done = paid <= today
                case.paid = paid if done else None
                case.closed = paid if done else None
                case.status = "closed" if done else "served"
            continue
        documents.append((case.filed, case.pk, DocumentKind.FILING))
        if case.decided is None:
            case.notified = case.served = case.paid = case.closed = None
            case.status = "investigating"
            continue
        case.notified = case.decided - datetime.timedelta(days=rng.randrange(8, 15))
        case.notified = max(case.notified, case.filed)
        documents.append((case.notified, case.pk, DocumentKind.NOTICE))
        documents.append((case.decided, case.pk, DocumentKind.DECISION))
        served = case.decided + datetime.timedelta(days=rng.randrange(0, rules.SERVICE_DAYS))
        if served > today:
            case.served = case.paid = case.closed = None
            case.status = "decided"
            continue
        case.served = served
        documents.append((served, case.pk, DocumentKind.SERVICE))
        paid = served + datetime.timedelta(days=rng.randrange(0, rules.PAYMENT_DAYS))
        if kind == "warning":
            paid = served
        if paid > today:
            case.paid = case.closed = None
            case.status = "served"
            continue
        case.paid = paid if kind == "fine" else None
        case.closed = paid
        case.status = "closed"
        documents.append((paid, case.pk, DocumentKind.CLOSING))

    # numbers per unit, year and kind, in the order the documents were issued
    by_pk = {case.pk: case for case in plans}
    documents.sort()
    counters: dict[tuple[int, int, str], int] = {}
    first_doc = ctx.reserve("enforcement.CaseDocument", len(documents))
    doc_rows: list[tuple] = []
    for offset, (day, case_pk, kind) in enumerate(documents):
        case = by_pk[case_pk]
        unit = law.units[case.unit]
        key = (case.unit, day.year, str(kind))
        counters[key] = counters.get(key, 0) + 1
        label = document_label(
            unit_abbr=unit.short_name or unit.name,
            kind_abbr=DOCUMENT_ABBR[kind],
            year=day.year,
            number=counters[key],
        )
        if kind in (DocumentKind.DECISION, DocumentKind.SIMPLE_DECISION):
            case.number = label
        case.authority = str(rules.issuing_authority(unit=unit, item=case.item))
        doc_rows.append(
            (first_doc + offset, case_pk, case.unit, str(kind), day.year, counters[key], label,
             day, case.authority, aware(day, 10))
        )  # fmt: skip

    case_rows, officer_rows, closed = [], [], []
    for case in plans:
        kind, fine = case.penalty
        number = getattr(case, "number", "")
        case_rows.append(
            (case.pk, case.unit, case.town, case.procedure, case.item.pk, case.enterprise,
             "organisation", case.name, case.facts, case.status,
             kind if case.decided else "", fine if case.decided else None,
             case.filed, case.decided, number, case.closed, case.team[0], aware(case.filed),
             case.notified, case.served,
             case.served + datetime.timedelta(days=rules.PAYMENT_DAYS)
             if case.served and kind == "fine" else None,
             case.paid)
        )  # fmt: skip
        officer_rows += [(case.pk, officer) for officer in case.team]
        if case.status == "closed":
            closed.append(
                (case.pk, case.enterprise, case.town, case.name, case.item.name, case.facts,
                 kind, fine, number, case.decided, case.authority)
            )  # fmt: skip
    columns = [
        "id", "unit", "town", "procedure", "item", "enterprise", "party_kind", "party_name",
        "facts", "status", "penalty_kind", "fine", "filed_on", "decided_on", "decision_number",
        "closed_on", "created_by", "created_at", "notified_on", "served_on", "payment_due",
        "paid_on",
    ]  # fmt: skip
    for chunk in chunks(case_rows):
        ctx.copy("enforcement.Case", columns, chunk)
    for chunk in chunks(doc_rows):
        ctx.copy(
            "enforcement.CaseDocument",
            ["id", "case", "unit", "kind", "year", "number", "label", "issued_on",
             "issuing_authority", "created_at"],
            chunk,
        )  # fmt: skip
    through = apps.get_model("enforcement", "Case").officers.through
    link_first = ctx.reserve(through._meta.label, len(officer_rows))
    for chunk in chunks([(link_first + i, c, u) for i, (c, u) in enumerate(officer_rows)]):
        ctx.copy(through._meta.label, ["id", "case", "user"], chunk)
    DocumentCounter = apps.get_model("enforcement", "DocumentCounter")
    for (unit_id, year, kind), last in counters.items():
        DocumentCounter.objects.update_or_create(
            unit_id=unit_id, year=year, kind=kind, defaults={"last_number": last}
        )
    ctx.data["closed_cases"] = closed
