"""The exposure generator (safetyportal/dashboard/scale_exposure.py) at a tiny scale: closed
penalties (standalone, without the cases generator), a board of published snapshots, and
repeat offenders for the county list."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from enforcement.cases.models import Case
from enforcement.exposure.models import ExposedCase
from enforcement.repeat_offenders import flagged_enterprise_ids

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)
    fixture = Path(settings.BASE_DIR) / "fixtures" / "self_assessment_template_v1.json"
    call_command("loaddata", str(fixture), verbosity=0)


def test_the_generator_writes_penalties_a_board_and_repeat_offenders(reference):
    call_command(
        "generate_scale", scale="test", seed=7, today=TODAY, force=True, stdout=io.StringIO()
    )
    cases = Case.objects.all()
    assert cases.exists() and not cases.exclude(status="closed").exists()
    # every simple-procedure case keeps its cap (the cases generator adds general ones
    # with larger fines) and every case has a decision
    assert not cases.filter(procedure="simple", fine__gt=3000).exists()
    assert not cases.filter(decided_on__gt=TODAY).exists()
    board = ExposedCase.objects.all()
    assert 0 < board.count() <= 2 * 2  # 88 a year per 5,000 enterprises: 1 a year at 60
    for exposure in board.select_related("case"):
        assert exposure.decision_number == exposure.case.decision_number
        assert exposure.published_at.date() >= exposure.decided_on
    assert len(list(flagged_enterprise_ids(TODAY))) >= 2
