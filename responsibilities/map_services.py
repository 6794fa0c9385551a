"""The yearly supervision map (行业监管责任划分, issue 11 item 2): one year's map read as
rows per industry, and the changes from the previous year's map, computed in Python
(a map is about thirty industries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from responsibilities.duty_models import DutyItem
from responsibilities.models import SupervisionAssignment, SupervisionMap


@dataclass
class MapRow:
    """One industry in one year's map."""

    industry: object
    lead: object | None = None
    cooperating: list = field(default_factory=list)
    town_role: str = ""
    duty_items: list = field(default_factory=list)


@dataclass
class IndustryChange:
    """How one industry's assignment changed from the previous year's map."""

    industry: object
    old_lead: object | None = None
    new_lead: object | None = None
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def lead_changed(self) -> bool:
        return _pk(self.old_lead) != _pk(self.new_lead)


@dataclass
class MapChanges:
    added_industries: list = field(default_factory=list)
    removed_industries: list = field(default_factory=list)
    changed: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added_industries or self.removed_industries or self.changed)


def _pk(obj) -> int | None:
    return None if obj is None else obj.pk


def rows_from_assignments(assignments) -> list[MapRow]:
    """Group one map's assignments into rows per industry, in the industries' order."""
    rows: dict[int, MapRow] = {}
    for assignment in assignments:
        row = rows.setdefault(assignment.industry_id, MapRow(industry=assignment.industry))
        if assignment.is_lead:
            row.lead = assignment.department
        else:
            row.cooperating.append(assignment.department)
        if assignment.town_role and not row.town_role:
            row.town_role = assignment.town_role
    for row in rows.values():
        row.cooperating.sort(key=lambda d: (d.sort_order, d.code))
    return sorted(rows.values(), key=lambda r: (r.industry.sort_order, r.industry.code))


def map_changes(previous: list[MapRow], current: list[MapRow]) -> MapChanges:
    """Industries added or removed, lead departments changed, co-operating departments
    added or removed, from `previous` (last year's rows) to `current`."""
    old = {row.industry.pk: row for row in previous}
    new = {row.industry.pk: row for row in current}
    changes = MapChanges(
        added_industries=[row.industry for pk, row in new.items() if pk not in old],
        removed_industries=[row.industry for pk, row in old.items() if pk not in new],
    )
    for pk, row in new.items():
        if pk not in old:
            continue
        before = old[pk]
        old_coop = {d.pk: d for d in before.cooperating}
        new_coop = {d.pk: d for d in row.cooperating}
        change = IndustryChange(
            industry=row.industry,
            old_lead=before.lead,
            new_lead=row.lead,
            added=[d for dpk, d in new_coop.items() if dpk not in old_coop],
            removed=[d for dpk, d in old_coop.items() if dpk not in new_coop],
        )
        if change.lead_changed or change.added or change.removed:
            changes.changed.append(change)
    return changes


def map_years() -> list[SupervisionMap]:
    """Every map, newest first (one query): old years stay readable."""
    return list(SupervisionMap.objects.order_by("-year"))


def map_with_previous(maps: list[SupervisionMap], year: int | None):
    """The map of `year` (default: the newest published one) and the one before it, and
    both maps' rows, read in one query."""
    if not maps:
        return None, None, [], []
    by_year = {m.year: m for m in maps}
    selected = by_year.get(year) if year is not None else None
    if selected is None:
        selected = next((m for m in maps if m.published_at is not None), maps[0])
    previous = next((m for m in maps if m.year < selected.year), None)
    wanted = [selected.pk] + ([previous.pk] if previous else [])
    assignments = SupervisionAssignment.objects.filter(
        supervision_map_id__in=wanted
    ).select_related("industry", "department")
    mine = [a for a in assignments if a.supervision_map_id == selected.pk]
    theirs = [a for a in assignments if previous and a.supervision_map_id == previous.pk]
    return selected, previous, rows_from_assignments(mine), rows_from_assignments(theirs)


def attach_duty_items(rows: list[MapRow], year: int) -> list[MapRow]:
    """Give each row the duty items of `year`'s lists for its industry, in the owners'
    order, read in one query whatever the number of industries (the page and the API)."""
    if not rows:
        return rows
    items = (
        DutyItem.objects.filter(
            duty_list__year=year, industry_id__in=[row.industry.pk for row in rows]
        )
        .select_related("duty_list__owner")
        .order_by("duty_list__owner__sort_order", "order", "pk")
    )
    by_industry: dict[int, list] = {}
    for item in items:
        by_industry.setdefault(item.industry_id, []).append(item)
    for row in rows:
        row.duty_items = by_industry.get(row.industry.pk, [])
    return rows
