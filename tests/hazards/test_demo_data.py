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
