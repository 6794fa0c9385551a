"""The accident rules at every legal boundary (条例 Art. 3, 9, 13, 29, 32)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from enforcement.accidents import rules
from enforcement.accidents.rules import accident_grade, change_percent, is_late_report

G, L, M, E = rules.GENERAL, rules.LARGER, rules.MAJOR, rules.ESPECIALLY_SERIOUS
ZERO = Decimal("0")


@pytest.mark.parametrize(
    ("deaths", "grade"), [(0, G), (2, G), (3, L), (9, L), (10, M), (29, M), (30, E), (300, E)]
)
def test_grade_by_deaths(deaths, grade):
    assert accident_grade(deaths, 0, ZERO) == grade


@pytest.mark.parametrize(
    ("injuries", "grade"), [(9, G), (10, L), (49, L), (50, M), (99, M), (100, E)]
)
def test_grade_by_serious_injuries(injuries, grade):
    assert accident_grade(0, injuries, ZERO) == grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        ("9999999.99", G),
        ("10000000", L),
        ("49999999.99", L),
        ("50000000", M),
        ("99999999.99", M),
        ("100000000", E),
    ],
)
def test_grade_by_direct_loss(loss, grade):
    assert accident_grade(0, 0, Decimal(loss)) == grade


def test_the_highest_figure_decides_the_grade():
    assert accident_grade(1, 55, Decimal("12000000")) == M


def test_reported_exactly_one_hour_later_is_in_time_one_second_more_is_late():
    occurred = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)
    assert not is_late_report(occurred, occurred + datetime.timedelta(minutes=60))
    assert is_late_report(occurred, occurred + datetime.timedelta(minutes=60, seconds=1))


def test_investigation_report_due_60_days_after_and_extension_moves_it():
    day = datetime.date(2026, 3, 1)
    assert rules.report_due(day) == datetime.date(2026, 4, 30)
    assert rules.report_due(day, 60) == datetime.date(2026, 6, 29)


def test_decision_due_15_days_after_the_report_30_for_especially_serious():
    day = datetime.date(2026, 3, 1)
    assert rules.decision_due(day, G) == datetime.date(2026, 3, 16)
    assert rules.decision_due(day, E) == datetime.date(2026, 3, 31)


def test_supplement_window_30_days_7_for_road_and_fire():
    day = datetime.date(2026, 3, 1)
    assert rules.supplement_deadline(day, False) == datetime.date(2026, 3, 31)
    assert rules.supplement_deadline(day, True) == datetime.date(2026, 3, 8)


def test_year_on_year_percent_of_the_report():
    assert change_percent(7, 24) == Decimal("-70.8")
    assert change_percent(8, 24) == Decimal("-66.7")
    assert change_percent(3, 2) == Decimal("50.0")


def test_no_percent_when_last_year_had_none():
    assert change_percent(3, 0) is None
