"""The legal limits of a penalty case, through the services (enforcement/rules.py applied)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from enforcement.cases import services
from enforcement.cases.models import Case, CaseDocument, CaseStatus, DocumentKind
from enforcement.cases.reminders import send_deadline_reminders
from enforcement.inspections.models import Inspection
from safetyportal.notifications.models import Notification
from safetyportal.workflow import StepForbidden, StepNotAllowed
from tests.enforcement.factories import days

pytestmark = pytest.mark.django_db


def simple(actor, item, *, officers, party_kind="person", fine=Decimal("200"), **kwargs):
    return services.create_simple_case(
        actor=actor,
        item=item,
        party_kind=party_kind,
        party_name="张三",
        facts="现场未佩戴安全帽",
        penalty_kind="fine" if fine is not None else "warning",
        fine=fine,
        officers=officers,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("party_kind", "fine", "lawful"),
    [
        ("person", Decimal("200"), True),
        ("person", Decimal("201"), False),
        ("organisation", Decimal("3000"), True),
        ("organisation", Decimal("3001"), False),
    ],
)
def test_simple_fine_cap_per_party_kind(powers, other_town_official, party_kind, fine, lawful):
    if lawful:
        case = simple(
            other_town_official,
            powers.fine_item,
            officers=[other_town_official],
            party_kind=party_kind,
            fine=fine,
        )
        assert case.status == CaseStatus.SERVED
        assert case.payment_due == case.decided_on + datetime.timedelta(days=15)
        doc = case.documents.get()
        assert doc.kind == DocumentKind.SIMPLE_DECISION
        assert case.decision_number == doc.label and "简罚" in doc.label
        assert doc.issuing_authority.startswith("应急管理局") or "委托" in doc.issuing_authority
    else:
        with pytest.raises(ValidationError, match="简易程序当场罚款不得超过"):
            simple(
                other_town_official,
                powers.fine_item,
                officers=[other_town_official],
                party_kind=party_kind,
                fine=fine,
            )
        assert not Case.objects.exists()


def test_simple_warning_is_closed_at_once(powers, other_town_official):
    case = simple(other_town_official, powers.fine_item, officers=[other_town_official], fine=None)
    assert case.status == CaseStatus.CLOSED and case.closed_on == case.decided_on


def test_simple_fine_paid_closes_the_case_with_late_penalty(powers, other_town_official):
    case = simple(
        other_town_official,
        powers.fine_item,
        officers=[other_town_official],
        decided_on=days(-20),
    )
    case = services.record_payment(actor=other_town_official, case_id=case.pk, paid_on=days(0))
    assert case.status == CaseStatus.CLOSED
    # due day -5; 5 days late at 3 % of 200 = 30
    assert case.late_penalty == Decimal("30.00")


def test_expired_certificate_is_refused(powers):
    with pytest.raises(ValidationError, match="没有有效的执法证"):
        simple(
            powers.uncertified_official, powers.fine_item, officers=[powers.uncertified_official]
        )
    assert not Case.objects.exists()


def test_expired_delegation_is_refused(powers, other_town_official):
    powers.simple_authorisation.valid_until = days(-1)
    powers.simple_authorisation.valid_from = days(-400)
    powers.simple_authorisation.save()
    with pytest.raises(ValidationError, match="没有有效的委托执法书"):
        simple(other_town_official, powers.fine_item, officers=[other_town_official])


def test_item_not_delegated_is_refused(powers, other_town_official):
    with pytest.raises(ValidationError, match="不在.*委托执法事项内"):
        simple(other_town_official, powers.undelegated_item, officers=[other_town_official])


def test_simple_only_town_cannot_open_a_general_case(powers, county, other_town_official):
    with pytest.raises(ValidationError, match="仅受委托适用简易程序"):
        services.open_general_case(
            actor=other_town_official,
            item=powers.fine_item,
            party_kind="organisation",
            enterprise=county.ly_build,
            facts="x",
            officers=[other_town_official],
        )
    assert not Case.objects.exists()


def test_one_officer_on_a_general_case_is_refused(powers, county, town_official):
    with pytest.raises(ValidationError, match="两名以上"):
        services.open_general_case(
            actor=town_official,
            item=powers.fine_item,
            party_kind="organisation",
            enterprise=county.xdk_build,
            facts="x",
            officers=[town_official],
        )


def test_fine_outside_the_items_range_is_refused(general_case, town_official):
    services.add_evidence(
        actor=town_official,
        case_id=general_case.pk,
        kind="record",
        description="现场笔录",
        collected_on=days(0),
    )
    with pytest.raises(ValidationError, match="超过该事项的上限"):
        services.notify_party(
            actor=town_official,
            case_id=general_case.pk,
            notified_on=days(0),
            penalty_kind="fine",
            fine=Decimal("50001"),
        )
    assert Case.objects.get(pk=general_case.pk).status == CaseStatus.INVESTIGATING


def _to_notified(case, actor, *, filed_back: int, notified_back: int):
    Case.objects.filter(pk=case.pk).update(filed_on=days(-filed_back))
    services.add_evidence(
        actor=actor,
        case_id=case.pk,
        kind="record",
        description="现场笔录",
        collected_on=days(-filed_back),
    )
    services.notify_party(
        actor=actor,
        case_id=case.pk,
        notified_on=days(-notified_back),
        penalty_kind="fine",
        fine=Decimal("5000"),
    )


@pytest.mark.parametrize(("filed_back", "lawful"), [(90, True), (91, False)])
def test_decision_day_90_allowed_day_91_refused(general_case, town_official, filed_back, lawful):
    _to_notified(general_case, town_official, filed_back=filed_back, notified_back=10)
    if lawful:
        case = services.decide_case(
            actor=town_official,
            case_id=general_case.pk,
            decided_on=days(0),
            penalty_kind="fine",
            fine=Decimal("5000"),
        )
        assert case.status == CaseStatus.DECIDED and "罚决" in case.decision_number
    else:
        with pytest.raises(ValidationError, match="已超过立案后 90 日的决定期限"):
            services.decide_case(
                actor=town_official,
                case_id=general_case.pk,
                decided_on=days(0),
                penalty_kind="fine",
                fine=Decimal("5000"),
            )
        assert Case.objects.get(pk=general_case.pk).status == CaseStatus.NOTIFIED


@pytest.mark.parametrize(("notified_back", "lawful"), [(5, True), (6, False)])
def test_hearing_request_day_5_allowed_day_6_refused(
    general_case, town_official, notified_back, lawful
):
    _to_notified(general_case, town_official, filed_back=20, notified_back=notified_back)
    if lawful:
        case = services.request_hearing(
            actor=town_official, case_id=general_case.pk, requested_on=days(0)
        )
        assert case.status == CaseStatus.HEARING
    else:
        with pytest.raises(ValidationError, match="告知后 5 日内"):
            services.request_hearing(
                actor=town_official, case_id=general_case.pk, requested_on=days(0)
            )


def test_hearing_notice_at_least_7_days_ahead_and_full_procedure(general_case, town_official):
    _to_notified(general_case, town_official, filed_back=40, notified_back=30)
    services.request_hearing(actor=town_official, case_id=general_case.pk, requested_on=days(-27))
    with pytest.raises(ValidationError, match="7 日前"):
        services.schedule_hearing(
            actor=town_official, case_id=general_case.pk, notice_on=days(-25), hearing_on=days(-19)
        )
    services.schedule_hearing(
        actor=town_official, case_id=general_case.pk, notice_on=days(-25), hearing_on=days(-18)
    )
    services.decide_case(
        actor=town_official,
        case_id=general_case.pk,
        decided_on=days(-17),
        penalty_kind="fine",
        fine=Decimal("5000"),
    )
    services.serve_decision(actor=town_official, case_id=general_case.pk, served_on=days(-16))
    with pytest.raises(StepNotAllowed, match="罚款尚未缴纳"):
        services.close_case(actor=town_official, case_id=general_case.pk, closed_on=days(0))
    case = services.record_payment(actor=town_official, case_id=general_case.pk, paid_on=days(0))
    assert case.payment_due == days(-1) and case.late_penalty == Decimal("150.00")
    case = services.close_case(actor=town_official, case_id=general_case.pk, closed_on=days(0))
    assert case.status == CaseStatus.CLOSED
    kinds = list(case.documents.order_by("id").values_list("kind", flat=True))
    assert kinds == ["filing", "notice", "hearing_notice", "decision", "service", "closing"]
    # a town under delegation issues in the delegating department's name
    assert all("委托小渡口镇实施" in d.issuing_authority for d in case.documents.all())


def test_another_unit_may_not_act(general_case, other_town_official, department_official):
    for user in (other_town_official, department_official):
        with pytest.raises((StepForbidden, Exception)):
            services.add_evidence(
                actor=user,
                case_id=general_case.pk,
                kind="record",
                description="x",
                collected_on=days(0),
            )
    assert not general_case.evidence.exists()


def test_case_from_inspection_marks_it_followed_up(powers, county, town_official):
    inspection = Inspection.objects.create(
        unit=county.town,
        town=county.town,
        enterprise=county.xdk_build,
        inspected_on=days(-1),
        status="submitted",
        created_by=town_official,
    )
    services.open_general_case(
        actor=town_official,
        item=powers.fine_item,
        party_kind="organisation",
        enterprise=county.xdk_build,
        facts="x",
        officers=[town_official, powers.town_partner],
        inspection=inspection,
    )
    assert Inspection.objects.get(pk=inspection.pk).followed_up


def test_reminders_are_sent_once_per_deadline(general_case, town_official, powers):
    Case.objects.filter(pk=general_case.pk).update(filed_on=days(-85))
    assert send_deadline_reminders(days(0)) == 2  # both officers
    assert send_deadline_reminders(days(0)) == 0
    note = Notification.objects.filter(recipient=town_official).get()
    assert "作出处罚决定" in note.title and str(days(5)) in note.title


def test_numbers_have_no_gaps(powers, other_town_official):
    for _ in range(3):
        simple(other_town_official, powers.fine_item, officers=[other_town_official])
    numbers = sorted(CaseDocument.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3]
