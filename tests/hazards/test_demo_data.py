"""The rules that check the demo's hazard histories. The loaded demo's figures and histories
are tested with the rest of the demo, loaded once, in tests/enforcement/test_demo_figures.py."""

from __future__ import annotations

from hazards.models import Hazard, HazardStatus


def test_the_history_rules_catch_what_the_old_demo_did(major, png_upload, enterprise_manager):
    """A major hazard closed before its slip, with a progress entry after the closure and
    no evidence: each is named."""
    import datetime

    from hazards.history import history_problems, with_history
    from hazards.models import ProgressEntry, Verification
    from tests.hazards.conftest import days

    slip_day = major.slip.issued_on
    closed = slip_day - datetime.timedelta(days=1)
    Hazard.objects.filter(pk=major.pk).update(
        status=HazardStatus.CLOSED, closed_on=closed, found_on=days(-10)
    )
    Verification.objects.create(
        hazard=major,
        passed=True,
        opinion="合格",
        verified_on=closed,
        verified_by=enterprise_manager,
    )
    ProgressEntry.objects.create(hazard=major, entry_date=slip_day, percent=50, note="x")
    problems = " ".join(history_problems(with_history(Hazard.objects.filter(pk=major.pk)).get()))
    assert "交办日期" in problems and "晚于 销号日期" in problems
    assert "进展日期" in problems
    assert "没有整改证据" in problems
