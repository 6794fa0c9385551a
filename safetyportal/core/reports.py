"""The registry of report kinds: what a stored PDF report is made of and who may have it.

A report kind is one entry (`register(ReportKind(...))`) in an app's `report_kinds.py`,
found when the registry is first read (like the home cards). The kind says which template
renders it, how its context is built from the ledgers for a unit and a period, which units
it is made for, who may request it and who besides the county (leaders and the county
office see every report) may read the county-wide copy. The composition layer
(safetyportal/dashboard/reports) stores, queues, lists and serves the reports; an app adds
a document (the year-end appraisal report) by adding one entry. See docs/decisions/0036.

`context(unit=..., period_start=..., period_end=..., content=..., progress=...)` answers
the template's context; `progress(percent, message)` moves the bar the user is watching.
A kind with `issued=True` is a formal numbered document (the half-monthly bulletin): it is
drafted, previewed in HTML, then issued, which takes a number and freezes its content
(`snapshot(period_start=..., period_end=...)`) before the PDF is rendered.

Two optional hooks let a kind whose data has a life of its own (the appraisal, ADR 0047):
`unavailable(unit=..., period_start=..., period_end=...)` says why the report cannot be
made now (no round for the year, results still computing; None: it can), and
`unit_readers(user)` is the Q over the stored report's fields (`unit_id`, `period_start`,
`period_end`) that a town or department official may read of this kind, instead of "the
reports about my unit" (a unit's appraisal report only once its result is published).
A lower app asks for a report with `request_stored_report(...)`: the composition layer
installs the service (`install_requester`) in its AppConfig.ready.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from safetyportal.accounts.models import Role

Progress = Callable[[int, str], None]

YEAR = "year"
HALF_MONTH = "half_month"


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str | Promise
    template: str
    context: Callable[..., dict[str, Any]]
    # title(unit=..., period_label=...): the document's title, also its file name
    title: Callable[..., str]
    period: str = YEAR
    # organisation kinds a report is made for (empty: the county only); `countywide`: it may
    # also be made for the whole county (unit left empty)
    unit_kinds: tuple[str, ...] = ()
    countywide: bool = True
    # roles that may request it for any unit, and roles that may for their own unit
    request_roles: frozenset[str] = frozenset({Role.COUNTY_OFFICE, Role.LEADER})
    own_unit_roles: frozenset[str] = frozenset()
    # roles (besides leaders and the county office) that read the county-wide copy
    shared_with: frozenset[str] = frozenset()
    issued: bool = False
    number_prefix: str = ""
    snapshot: Callable[..., dict[str, Any]] | None = None
    order: int = 100
    # why it cannot be made for this unit and period now (None: it can); see the docstring
    unavailable: Callable[..., str | None] | None = None
    # what of this kind a town or department official reads (a Q over Report's fields)
    unit_readers: Callable[[Any], Any] | None = None

    def may_request(self, user, unit=None) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser or user.role in self.request_roles:
            return True
        return (
            unit is not None
            and user.role in self.own_unit_roles
            and user.organisation_id == unit.pk
        )


_kinds: dict[str, ReportKind] = {}
_discovered = False


def register(kind: ReportKind) -> ReportKind:
    if kind.key in _kinds:
        raise ValueError(f"a report kind {kind.key!r} is already registered")
    if kind.issued and kind.snapshot is None:
        raise ValueError(f"the issued report kind {kind.key!r} needs a snapshot")
    _kinds[kind.key] = kind
    return kind


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("report_kinds")


def registered() -> list[ReportKind]:
    _discover()
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def get_kind(key: str) -> ReportKind | None:
    _discover()
    return _kinds.get(key)


# --- asking for a report from a lower app ------------------------------------------------------

_requester: Callable[..., Any] | None = None


def install_requester(service: Callable[..., Any]) -> None:
    """The composition layer's `request_report(actor=, kind=, unit=, period_start=,
    period_end=, period_label=)`, installed from its AppConfig.ready."""
    global _requester
    _requester = service


def request_stored_report(*, actor, kind: str, unit, year: int) -> Any:
    """Queue (or regenerate) the yearly report of `kind` for `unit` (None: the county);
    the stored report (its `pk` names its page, `reports:detail`). Raises what the service
    raises (PermissionDenied, ValidationError)."""
    if _requester is None:
        raise RuntimeError("no report service installed (safetyportal.dashboard is not loaded)")
    start, end, label = year_period(year)
    return _requester(
        actor=actor, kind=kind, unit=unit, period_start=start, period_end=end, period_label=label
    )


# --- periods --------------------------------------------------------------------------------


def year_period(year: int) -> tuple[datetime.date, datetime.date, str]:
    return (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        _("%(year)s年度") % {"year": year},
    )


def half_month_period(year: int, month: int, half: int) -> tuple[datetime.date, datetime.date, str]:
    """1st-15th (half 1) or 16th-end of the month (half 2)."""
    if half == 1:
        start, end = datetime.date(year, month, 1), datetime.date(year, month, 15)
        label = _("%(year)s年%(month)s月上半月")
    else:
        last = calendar.monthrange(year, month)[1]
        start, end = datetime.date(year, month, 16), datetime.date(year, month, last)
        label = _("%(year)s年%(month)s月下半月")
    return start, end, label % {"year": year, "month": month}


def last_half_month(today: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """The half month that ended most recently before `today`."""
    if today.day >= 16:
        return half_month_period(today.year, today.month, 1)
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    return half_month_period(previous.year, previous.month, 2)
