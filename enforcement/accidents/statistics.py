"""Year-on-year accident figures (同比): this year to date against last year to the same
date, per town and for the county, in one aggregate query (plus one for the towns' names).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.accidents.models import Accident
from enforcement.accidents.rules import change_percent
from responsibilities.models import Organisation

FIGURES = ("accidents", "deaths", "serious_injuries", "direct_loss")


def periods(now: datetime.datetime) -> tuple[tuple[datetime.datetime, datetime.datetime], ...]:
    """(start, end) of this year to `now` and of last year to the same moment of the
    calendar (29 February: to the end of 28 February)."""
    local = timezone.localtime(now)
    tz = local.tzinfo
    this_start = datetime.datetime(local.year, 1, 1, tzinfo=tz)
    last_start = datetime.datetime(local.year - 1, 1, 1, tzinfo=tz)
    try:
        last_end = local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        last_end = local.replace(year=local.year - 1, month=2, day=28, hour=23, minute=59)
    return (this_start, local), (last_start, last_end)


FIRST_YEAR = 2000


def statistics_moment(year: int | None, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment a year's figures run to: now for this year (to date), the last second of
    a past year (the whole year against the whole year before). A year in the future or
    before FIRST_YEAR is refused with the reason."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if year is None or year == local.year:
        return now
    if year > local.year or year < FIRST_YEAR:
        raise ValidationError(
            {
                "year": _("年度须在 %(first)s 至 %(last)s 之间。")
                % {"first": FIRST_YEAR, "last": local.year}
            }
        )
    return datetime.datetime(year, 12, 31, 23, 59, 59, tzinfo=local.tzinfo)


@dataclass
class Change:
    this: int | Decimal
    last: int | Decimal

    @property
    def percent(self) -> Decimal | None:
        return change_percent(self.this, self.last)

    @property
    def text(self) -> str:
        """“下降 70.8 %”, “上升 12.5 %”, “持平”, or “—” when last year had none."""
        value = self.percent
        if value is None:
            return "—"
        if value < 0:
            return _("下降 %(p)s %%") % {"p": -value}
        if value > 0:
            return _("上升 %(p)s %%") % {"p": value}
        return _("持平")


@dataclass
class Row:
    town_id: int | None
    name: str
    accidents: Change
    deaths: Change
    serious_injuries: Change
    direct_loss: Change

    @property
    def summary(self) -> str:
        """“7 起 8 人 vs 24 起 24 人”."""
        return _("%(n)s 起 %(d)s 人 vs %(ln)s 起 %(ld)s 人") % {
            "n": self.accidents.this,
            "d": self.deaths.this,
            "ln": self.accidents.last,
            "ld": self.deaths.last,
        }


def _row(town_id, name, values: dict) -> Row:
    return Row(
        town_id=town_id,
        name=name,
        accidents=Change(values.get("n", 0) or 0, values.get("ln", 0) or 0),
        deaths=Change(values.get("d", 0) or 0, values.get("ld", 0) or 0),
        serious_injuries=Change(values.get("i", 0) or 0, values.get("li", 0) or 0),
        direct_loss=Change(values.get("loss") or Decimal("0"), values.get("lloss") or Decimal("0")),
    )


def year_on_year(now: datetime.datetime | None = None) -> tuple[list[Row], Row]:
    """Every town's row (towns without accidents included) and the county total."""
    (this_start, this_end), (last_start, last_end) = periods(now or timezone.now())
    this = Q(occurred_at__gte=this_start, occurred_at__lte=this_end)
    last = Q(occurred_at__gte=last_start, occurred_at__lte=last_end)
    per_town = (
        Accident.objects.filter(this | last)
        .values("town_id")
        .annotate(
            n=Count("id", filter=this),
            d=Sum("deaths", filter=this),
            i=Sum("serious_injuries", filter=this),
            loss=Sum("direct_loss", filter=this),
            ln=Count("id", filter=last),
            ld=Sum("deaths", filter=last),
            li=Sum("serious_injuries", filter=last),
            lloss=Sum("direct_loss", filter=last),
        )
        .order_by()
    )
    figures = {values["town_id"]: values for values in per_town}
    towns = Organisation.objects.towns().order_by("sort_order", "code").values_list("pk", "name")
    rows = [_row(pk, name, figures.get(pk, {})) for pk, name in towns]
    total: dict = {}
    for values in figures.values():
        for key, value in values.items():
            if key != "town_id":
                total[key] = total.get(key, 0) + (value or 0)
    return rows, _row(None, _("全县"), total)


def county_change(now: datetime.datetime | None = None) -> Row:
    """The county's row alone (the home card): one aggregate."""
    (this_start, this_end), (last_start, last_end) = periods(now or timezone.now())
    this = Q(occurred_at__gte=this_start, occurred_at__lte=this_end)
    last = Q(occurred_at__gte=last_start, occurred_at__lte=last_end)
    values = Accident.objects.filter(this | last).aggregate(
        n=Count("id", filter=this),
        d=Sum("deaths", filter=this),
        ln=Count("id", filter=last),
        ld=Sum("deaths", filter=last),
    )
    return _row(None, _("全县"), values)
