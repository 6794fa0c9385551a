"""The repeat-offender flag (安全生产法 Art. 113(1)) and its input contract."""

from __future__ import annotations

import datetime

from hazards.selectors import is_repeat_offender, repeat_offenders

D = datetime.date


def test_three_within_180_days_or_four_within_a_year():
    assert is_repeat_offender([D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 29)])
    assert not is_repeat_offender([D(2026, 1, 1), D(2026, 3, 1), D(2026, 6, 30)])
    assert is_repeat_offender([D(2026, 1, 1), D(2026, 5, 1), D(2026, 9, 1), D(2026, 12, 31)])
    assert not is_repeat_offender([D(2026, 1, 1), D(2026, 5, 1), D(2026, 9, 1), D(2027, 1, 1)])
    assert not is_repeat_offender([])


def test_only_enterprises_with_an_open_major_hazard_are_flagged(
    county, major, report, determine, county_officer
):
    dates = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    penalties = [(county.xdk_build.pk, d) for d in dates] + [(county.ly_chem.pk, d) for d in dates]
    # ly_chem has no major hazard: not flagged
    assert repeat_offenders(penalties) == {county.xdk_build.pk}
    assert repeat_offenders(iter([])) == set()
