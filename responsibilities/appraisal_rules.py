"""The appraisal's indicator rules (述职评议, issue 11 item 5; ADR 0039).

A scheme's computed indicator names a *rule* by code ("hazards.major_closed_on_time").
Each rule is registered by the app that owns the ledger it reads, from its
AppConfig.ready: the hazards app registers the hazard rules, enforcement the inspection
and accident rules, and so on. This module sits at the bottom of the dependency order and
knows none of them (ADR 0008): it holds the registry, the period a round judges, what a
rule returns (`Measure`) and how a measure becomes points.

A rule is a pure function of (unit, period, params) over the database: it reads records
dated on or before the round's snapshot date, orders what it returns by primary key, and
uses no clock, so computing the same round twice on the same data gives the same scores.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from responsibilities.models import (
    Industry,
    Organisation,
    OrganisationKind,
    SupervisionAssignment,
    SupervisionMap,
)

TWO_PLACES = Decimal("0.01")
# a score keeps at most this many evidence rows (rules need not return more); the count
# and the link to the ledger list show the whole set
EVIDENCE_LIMIT = 2000


class Method:
    """How a measure becomes points."""

    RATE = "rate"  # points x counted / base (full points when there is nothing to judge)
    DEDUCT = "deduct"  # points - per_item x each failing record, not below zero
    VETO = "veto"  # no points; a failing record vetoes the unit's result (一票否决)


# the units a rule can judge, by organisation kind
TOWNS = (OrganisationKind.TOWN, OrganisationKind.SUBDISTRICT)
DEPARTMENTS = (OrganisationKind.DEPARTMENT,)
COMMITTEES = (OrganisationKind.COMMITTEE,)
ALL_UNITS = TOWNS + DEPARTMENTS + COMMITTEES


@dataclass(frozen=True)
class Period:
    """The appraisal year and the data snapshot: records dated after `snapshot` do not
    count, so a late change to a ledger does not move a stored score silently."""

    year: int
    snapshot: datetime.date

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day judged: the year's end or the snapshot, whichever is earlier."""
        return min(datetime.date(self.year, 12, 31), self.snapshot)


@dataclass(frozen=True)
class Evidence:
    """One record behind a score: a record counted against the unit (a deduction), or
    for a veto the record that triggered it."""

    label: str
    note: str = ""
    url: str = ""


@dataclass
class Measure:
    """What a rule found: `counted` of `base` records met the indicator; `failures` are
    the ones that did not (each with its evidence); `records_url` opens the ledger list
    of the records judged; `summary` says it in a sentence."""

    counted: int
    base: int
    failures: list[Evidence] = field(default_factory=list)
    summary: str = ""
    records_url: str = ""

    @property
    def failed(self) -> int:
        return self.base - self.counted


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    description: str
    kinds: tuple[str, ...]
    measure: Callable[[Organisation, Period, dict[str, Any]], Measure]
    method: str = Method.RATE


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    """Called from an app's ready(); registering the same code twice is a programming
    error unless it is the same rule (ready() may run twice in tests)."""
    existing = _RULES.get(rule.code)
    if existing is not None and existing.measure is not rule.measure:
        raise ValueError(f"appraisal rule {rule.code!r} registered twice")
    _RULES[rule.code] = rule


def get_rule(code: str) -> Rule | None:
    return _RULES.get(code)


def rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda rule: rule.code)


def rule_choices() -> list[tuple[str, str]]:
    return [(rule.code, f"{rule.label}（{rule.code}）") for rule in rules()]


def points_for(
    points: Decimal, measure: Measure, method: str, params: dict[str, Any]
) -> tuple[Decimal, str]:
    """The points a measure earns, and the deduction explained in words."""
    if method == Method.VETO:
        return Decimal(0), ""
    if method == Method.DEDUCT:
        per_item = Decimal(str(params.get("per_item", 1)))
        deducted = min(points, per_item * measure.failed)
        return (points - deducted).quantize(TWO_PLACES, ROUND_HALF_UP), str(
            _("%(failed)s 项未达标，每项扣 %(per)s 分，共扣 %(total)s 分")
            % {"failed": measure.failed, "per": per_item, "total": deducted}
        )
    if measure.base == 0:
        return points.quantize(TWO_PLACES), str(_("本年度无应考核事项，得满分"))
    earned = (points * measure.counted / measure.base).quantize(TWO_PLACES, ROUND_HALF_UP)
    return earned, str(
        _("%(counted)s / %(base)s = %(rate)s%%，按比例得分")
        % {
            "counted": measure.counted,
            "base": measure.base,
            "rate": (Decimal(100) * measure.counted / measure.base).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            ),
        }
    )


def rate_text(counted: int, base: int) -> str:
    if not base:
        return "—"
    return f"{(Decimal(100) * counted / base).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


# --- shared scoping for rules: the industries a department supervised that year ----------


def map_for_year(year: int) -> SupervisionMap | None:
    """The supervision map in force for `year`: that year's published map, else the newest
    published one before it."""
    return (
        SupervisionMap.objects.filter(published_at__isnull=False, year__lte=year)
        .order_by("-year")
        .first()
    )


def industries_led_in(year: int, department_id: int):
    """Ids of the industries `department_id` leads (牵头) in the year's map, a subquery."""
    supervision_map = map_for_year(year)
    if supervision_map is None:
        return Industry.objects.none().values("pk")
    return SupervisionAssignment.objects.filter(
        supervision_map=supervision_map, department_id=department_id, is_lead=True
    ).values("industry_id")


def record_url(name: str) -> Callable[[int], str]:
    """`pk -> reverse(name, args=[pk])` without resolving the pattern for each of the
    thousands of failing records a rule may list (reverse() costs ~0.2 ms a call)."""
    marker = 2_147_483_647
    template = reverse(name, args=[marker])
    head, tail = template.split(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"
