"""The cases and exposure generators (safetyportal/dashboard/scale_cases.py,
scale_exposure.py) together at a tiny scale: lawful penalties (simple ones within the cap,
general ones only where the law allows them, numbered per unit, year and kind), a board
published only from closed cases, and repeat offenders for the county list."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from enforcement import rules
from enforcement.authority.models import DocumentCounter
from enforcement.cases.models import Case, CaseDocument
from enforcement.exposure.models import ExposedCase
from enforcement.repeat_offenders import flagged_enterprise_ids
from responsibilities.models import TOWN_LEVEL_KINDS

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def generated(db):
    call_command("load_reference_data", verbosity=0)
    fixture = Path(settings.BASE_DIR) / "fixtures" / "self_assessment_template_v1.json"
    call_command("loaddata", str(fixture), verbosity=0)
    call_command(
        "generate_scale", scale="test", seed=7, today=TODAY, force=True, stdout=io.StringIO()
    )


def test_simple_cases_keep_the_cap_and_general_cases_only_where_allowed(generated):
    cases = Case.objects.select_related("unit", "item").prefetch_related("officers")
    assert cases.filter(procedure="simple").exists() and cases.filter(procedure="general").exists()
    for case in cases:
        day = case.decided_on or case.filed_on
        assert case.filed_on <= TODAY and (case.decided_on is None or case.decided_on <= TODAY)
        assert (
            rules.authority_refusal(
                unit=case.unit, item=case.item, procedure=case.procedure, day=case.filed_on
            )
            is None
        )
        if case.decided_on:
            fine = case.fine if case.penalty_kind == "fine" else None
            assert (
                rules.fine_refusal(
                    item=case.item,
                    procedure=case.procedure,
                    party_kind=case.party_kind,
                    fine=fine,
                )
                is None
            )
            assert (case.decided_on - case.filed_on).days < rules.DECISION_DAYS
        assert (
            rules.officers_refusal(
                officer_ids=[o.pk for o in case.officers.all()],
                procedure=case.procedure,
                day=day,
            )
            is None
        )
        if case.paid_on:
            assert case.paid_on <= case.payment_due
    # general cases only by departments or by the towns whose delegation grants them
    general_towns = cases.filter(procedure="general", unit__kind__in=TOWN_LEVEL_KINDS)
    assert not general_towns.exclude(unit__general_procedure_authorised=True).exists()


def test_documents_are_numbered_per_unit_year_and_kind_without_gaps(generated):
    numbers = defaultdict(list)
    for unit, year, kind, number in CaseDocument.objects.values_list(
        "unit_id", "year", "kind", "number"
    ):
        numbers[(unit, year, kind)].append(number)
    assert numbers
    for key, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1)), key
        counter = DocumentCounter.objects.get(unit_id=key[0], year=key[1], kind=key[2])
        assert counter.last_number == len(taken)
    for case in Case.objects.exclude(decision_number="").select_related("unit"):
        abbr = case.unit.short_name or case.unit.name
        assert case.decision_number.startswith(abbr)
        assert case.documents.filter(label=case.decision_number).exists()


def test_the_board_publishes_only_closed_cases_and_repeat_offenders_are_flagged(generated):
    board = ExposedCase.objects.select_related("case")
    assert 0 < board.count() <= 2 * 2  # 88 a year per 5,000 enterprises: 1 a year at 60
    for exposure in board:
        assert exposure.case.status == "closed"
        assert exposure.decision_number == exposure.case.decision_number
        assert exposure.published_at.date() >= exposure.decided_on
    assert len(list(flagged_enterprise_ids(TODAY))) >= 2
