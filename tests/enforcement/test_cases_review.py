"""Defects found in the final review of the cases area, each pinned by a test."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from enforcement.authority.models import OfficerCertificate
from enforcement.cases import services
from enforcement.cases.models import Case, CaseStatus
from tests.enforcement.factories import days

pytestmark = pytest.mark.django_db


def _notified(case, actor, *, penalty_kind="fine", fine=Decimal("5000")):
    Case.objects.filter(pk=case.pk).update(filed_on=days(-30))
    services.add_evidence(
        actor=actor, case_id=case.pk, kind="record", description="现场笔录", collected_on=days(-30)
    )
    services.notify_party(
        actor=actor,
        case_id=case.pk,
        notified_on=days(-20),
        penalty_kind=penalty_kind,
        fine=fine,
    )


@pytest.mark.parametrize(
    ("notified", "decided", "lawful"),
    [
        (("fine", Decimal("5000")), ("fine", Decimal("5000")), True),
        (("fine", Decimal("5000")), ("fine", Decimal("3000")), True),
        (("fine", Decimal("5000")), ("warning", None), True),
        (("fine", Decimal("5000")), ("fine", Decimal("8000")), False),
        (("warning", None), ("fine", Decimal("5000")), False),
    ],
)
def test_decision_may_not_be_heavier_than_the_notified_penalty(
    general_case, town_official, notified, decided, lawful
):
    """行政处罚法 Art. 44/62: the party is told the intended penalty before the decision;
    a heavier one was never notified (and Art. 45 forbids raising it after a defence)."""
    _notified(general_case, town_official, penalty_kind=notified[0], fine=notified[1])

    def decide():
        return services.decide_case(
            actor=town_official,
            case_id=general_case.pk,
            decided_on=days(0),
            penalty_kind=decided[0],
            fine=decided[1],
        )

    if lawful:
        assert decide().status == CaseStatus.DECIDED
    else:
        with pytest.raises(ValidationError, match="重于告知"):
            decide()
        case = Case.objects.get(pk=general_case.pk)
        assert case.status == CaseStatus.NOTIFIED and case.fine == notified[1]
        assert not case.documents.filter(kind="decision").exists()


def test_a_lapsed_officer_certificate_does_not_strand_an_open_case(
    general_case, town_official, powers
):
    """The officers' qualification binds the investigation (Art. 42) and is checked at
    立案; the notice and the decision are the unit's acts, so a certificate revoked after
    立案 (an officer leaving) leaves the case decidable."""
    OfficerCertificate.objects.filter(officer=powers.town_partner).update(revoked_on=days(-25))
    _notified(general_case, town_official)
    case = services.decide_case(
        actor=town_official,
        case_id=general_case.pk,
        decided_on=days(0),
        penalty_kind="fine",
        fine=Decimal("5000"),
    )
    assert case.status == CaseStatus.DECIDED
