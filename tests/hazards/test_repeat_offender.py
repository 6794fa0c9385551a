"""The repeat-offender flag (安全生产法 Art. 113(1)) and its input contract."""

from __future__ import annotations

import datetime

from hazards.selectors import is_repeat_offender, repeat_offenders

D = datetime.date


def test_three_within_the_180_days_or_four_within_the_year_ending_today():
    assert is_repeat_offender([D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 29)], D(2026, 6, 29))
    # 180 days ending 2026-06-30 start on 2026-01-02
    assert not is_repeat_offender([D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 29)], D(2026, 6, 30))
    four = [D(2026, 1, 1), D(2026, 5, 1), D(2026, 9, 1), D(2026, 12, 31)]
    assert is_repeat_offender(four, D(2026, 12, 31))
    assert not is_repeat_offender(four, D(2027, 1, 1))
    assert not is_repeat_offender([], D(2026, 1, 1))
    # a penalty dated after `today` is not counted
    assert not is_repeat_offender([D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)], D(2026, 1, 2))


def test_old_penalties_close_together_do_not_count():
    # three penalties within a month, two years ago: not a repeat offender today
    old = [D(2024, 3, 1), D(2024, 3, 10), D(2024, 3, 20), D(2024, 4, 1)]
    assert not is_repeat_offender(old, D(2026, 11, 29))
    assert not is_repeat_offender(old + [D(2026, 11, 1), D(2026, 11, 2)], D(2026, 11, 29))
    assert is_repeat_offender(
        old + [D(2026, 6, 15), D(2026, 11, 1), D(2026, 11, 2)], D(2026, 11, 29)
    )


def test_only_enterprises_with_an_open_major_hazard_are_flagged(
    county, major, report, determine, county_officer
):
    today = D(2026, 3, 15)
    dates = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    penalties = [(county.xdk_build.pk, d) for d in dates] + [(county.ly_chem.pk, d) for d in dates]
    # ly_chem has no major hazard: not flagged
    assert repeat_offenders(penalties, today=today) == {county.xdk_build.pk}
    assert repeat_offenders(iter([]), today=today) == set()
    # the same penalties seen from a year later: nobody is flagged
    assert repeat_offenders(penalties, today=D(2027, 3, 15)) == set()
