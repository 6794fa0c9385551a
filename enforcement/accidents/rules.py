"""The legal limits on accident records (《生产安全事故报告和调查处理条例》, 国务院令493号;
domain-notes §7.6), as pure functions: no database, no user, no clock except the one passed.

Art. 3 grades (以上 includes the number, 以下 excludes it), Art. 9 the one-hour report,
Art. 13 补报 within 30 days (road traffic and fire: 7), Art. 29 the investigation report
within 60 days (extendable by at most 60), Art. 32 the decision within 15 days of the report
(特别重大: 30).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# (grade, deaths, serious injuries, direct loss in yuan): the lower bound of each grade
ESPECIALLY_SERIOUS = "especially_serious"
MAJOR = "major"
LARGER = "larger"
GENERAL = "general"
THRESHOLDS: tuple[tuple[str, int, int, Decimal], ...] = (
    (ESPECIALLY_SERIOUS, 30, 100, Decimal("100000000")),
    (MAJOR, 10, 50, Decimal("50000000")),
    (LARGER, 3, 10, Decimal("10000000")),
)

REPORT_WITHIN = datetime.timedelta(hours=1)  # Art. 9
SUPPLEMENT_DAYS = 30  # Art. 13
SUPPLEMENT_DAYS_ROAD_FIRE = 7
INVESTIGATION_DAYS = 60  # Art. 29
MAX_EXTENSION_DAYS = 60
DECISION_DAYS = 15  # Art. 32
DECISION_DAYS_ESPECIALLY_SERIOUS = 30


def accident_grade(deaths: int, serious_injuries: int, direct_loss: Decimal) -> str:
    """The grade of Art. 3: the highest grade any one of the three figures reaches."""
    for grade, min_deaths, min_injuries, min_loss in THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_injuries or direct_loss >= min_loss:
            return grade
    return GENERAL


def is_late_report(occurred_at: datetime.datetime, reported_at: datetime.datetime) -> bool:
    """Reported to the county more than one hour after it happened (exactly 60 minutes is
    in time)."""
    return reported_at - occurred_at > REPORT_WITHIN


def supplement_days(is_road_or_fire: bool) -> int:
    return SUPPLEMENT_DAYS_ROAD_FIRE if is_road_or_fire else SUPPLEMENT_DAYS


def supplement_deadline(occurred_on: datetime.date, is_road_or_fire: bool) -> datetime.date:
    """The last day casualty changes are 补报ed (counted from the day of the accident)."""
    return occurred_on + datetime.timedelta(days=supplement_days(is_road_or_fire))


def report_due(occurred_on: datetime.date, extension_days: int = 0) -> datetime.date:
    """The day the investigation report is due: 60 days after the accident, plus the
    extension granted (at most 60)."""
    return occurred_on + datetime.timedelta(days=INVESTIGATION_DAYS + extension_days)


def decision_due(report_on: datetime.date, grade: str) -> datetime.date:
    days = DECISION_DAYS_ESPECIALLY_SERIOUS if grade == ESPECIALLY_SERIOUS else DECISION_DAYS
    return report_on + datetime.timedelta(days=days)


def change_percent(this: int | Decimal, last: int | Decimal) -> Decimal | None:
    """This year against last year in percent, rounded to one place (negative: down);
    None when last year had none (no percentage of nothing)."""
    if not last:
        return None
    value = (Decimal(this) - Decimal(last)) * 100 / Decimal(last)
    return value.quantize(Decimal("0.1"))
