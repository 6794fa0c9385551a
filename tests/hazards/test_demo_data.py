"""The demo data: the county report's figures come out of the ledger, every state exists."""

from __future__ import annotations

import io

from django.core.management import call_command

from hazards.demo import load_hazard_demo
from hazards.models import Hazard, HazardClass, HazardStatus


def test_demo_figures_and_idempotence(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    majors = Hazard.objects.major().exclude(status=HazardStatus.VOIDED)
    assert majors.count() == 195
    assert majors.filter(status=HazardStatus.CLOSED).count() == 171
    general_closed = Hazard.objects.filter(
        hazard_class=HazardClass.GENERAL, status=HazardStatus.CLOSED
    ).count()
    assert 5400 <= general_closed <= 5600
    assert set(Hazard.objects.values_list("status", flat=True)) == set(HazardStatus.values)
    total = Hazard.objects.count()
    out = io.StringIO()
    load_hazard_demo(out)
    assert Hazard.objects.count() == total
    assert "跳过" in out.getvalue()
    # the demo county office can verify a major hazard waiting for verification in
    # another town (nobody in the demo is barred as its rectifier)
    from hazards.permissions import refusal
    from safetyportal.accounts.models import User

    county_user = User.objects.get(username="county")
    waiting = majors.filter(status=HazardStatus.SUBMITTED).exclude(submitted_by=county_user)
    assert waiting.exists()
    assert all(refusal(county_user, h, "verify_pass") is None for h in waiting)


def test_every_demo_hazard_history_keeps_the_workflow_rules(db, settings):
    """Issue 8 item 11: major hazards closed before their 交办 slip, progress entries dated
    after closure, closed major hazards without evidence. Every demo hazard's stored
    history is checked with the rules of hazards/history.py."""
    from hazards.history import history_problems, with_history
    from hazards.models import AttachmentKind

    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    broken = {
        h.code: problems
        for h in with_history(Hazard.objects.all())
        if (problems := history_problems(h))
    }
    assert broken == {}
    closed_majors = Hazard.objects.major().filter(status=HazardStatus.CLOSED)
    assert closed_majors.count() == 171
    assert not closed_majors.filter(progress_entries__isnull=True).exists()
    assert closed_majors.filter(attachments__kind=AttachmentKind.EVIDENCE).distinct().count() == 171


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
