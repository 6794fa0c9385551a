"""Every legal boundary of enforcement/rules.py and the document numbering
(行政处罚法 Arts. 20, 42, 51; numbering per unit, year and kind without gaps)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from enforcement.authority.models import DocumentCounter, PartyKind, Procedure
from enforcement.numbering import document_label, take_number
from enforcement.rules import (
    authority_refusal,
    certified_officer_ids,
    fine_refusal,
    officers_refusal,
)
from tests.enforcement.factories import (
    DelegatedItemFactory,
    OfficerCertificateFactory,
    TownAuthorisationFactory,
    days,
)
from tests.factories import TownUserFactory

SIMPLE, GENERAL = Procedure.SIMPLE, Procedure.GENERAL
PERSON, ORGANISATION = PartyKind.PERSON, PartyKind.ORGANISATION


def fine(item, amount, procedure=SIMPLE, party=PERSON):
    value = None if amount is None else Decimal(str(amount))
    return fine_refusal(item=item, procedure=procedure, party_kind=party, fine=value)


# --- the simple procedure's caps (Art. 51) -------------------------------------------------


@pytest.mark.parametrize(("amount", "lawful"), [("200", True), ("200.01", False), ("201", False)])
def test_a_person_is_fined_on_the_spot_up_to_200_yuan(powers, amount, lawful):
    reason = fine(powers.fine_item, amount, SIMPLE, PERSON)
    assert (reason is None) is lawful
    if not lawful:
        assert "简易程序当场罚款不得超过 200 元" in reason
        assert "一般程序" in reason


@pytest.mark.parametrize(
    ("amount", "lawful"), [("3000", True), ("3000.01", False), ("3001", False)]
)
def test_an_organisation_is_fined_on_the_spot_up_to_3000_yuan(powers, amount, lawful):
    reason = fine(powers.fine_item, amount, SIMPLE, ORGANISATION)
    assert (reason is None) is lawful
    if not lawful:
        assert "3,000 元" in reason


def test_the_general_procedure_has_no_on_the_spot_cap(powers):
    assert fine(powers.fine_item, "201", GENERAL, PERSON) is None
    assert fine(powers.fine_item, "3001", GENERAL, ORGANISATION) is None


# --- the item's range ----------------------------------------------------------------------


def test_a_fine_below_the_items_minimum_is_refused(powers):
    item = powers.general_only_item  # 1 - 30,000 yuan
    assert "低于该事项的下限 1 元" in fine(item, "0.5", GENERAL, ORGANISATION)
    assert fine(item, "1", GENERAL, ORGANISATION) is None


def test_a_fine_above_the_items_maximum_is_refused(powers):
    item = powers.general_only_item
    assert fine(item, "30000", GENERAL, ORGANISATION) is None
    assert "超过该事项的上限 30,000 元" in fine(item, "30000.01", GENERAL, ORGANISATION)


def test_a_fine_of_zero_or_less_is_refused(powers):
    assert "必须大于 0 元" in fine(powers.fine_item, "0", SIMPLE, PERSON)
    assert "必须大于 0 元" in fine(powers.fine_item, "-5", SIMPLE, PERSON)


def test_a_warning_needs_an_item_that_allows_one(powers):
    assert fine(powers.fine_item, None) is None
    assert "不能仅予警告" in fine(powers.general_only_item, None, GENERAL)


def test_a_fine_on_a_warning_only_item_is_refused(county):
    item = DelegatedItemFactory(
        delegating_department=county.department, min_fine=None, max_fine=None
    )
    assert "没有罚款处罚" in fine(item, "100")


# --- the delegation (Art. 20) --------------------------------------------------------------


def test_an_item_outside_the_towns_delegation_is_refused(county, powers):
    reason = authority_refusal(
        unit=county.town, item=powers.undelegated_item, procedure=SIMPLE, day=days(0)
    )
    assert "不在小渡口镇的委托执法事项内" in reason


def test_the_last_day_of_a_delegation_is_lawful_and_the_next_is_not(county, powers):
    powers.general_authorisation.valid_until = days(0)
    powers.general_authorisation.save()
    assert (
        authority_refusal(unit=county.town, item=powers.fine_item, procedure=SIMPLE, day=days(0))
        is None
    )
    reason = authority_refusal(
        unit=county.town, item=powers.fine_item, procedure=SIMPLE, day=days(1)
    )
    assert "没有有效的委托执法书" in reason


def test_a_delegation_that_expired_yesterday_refuses_today(county, powers):
    powers.general_authorisation.valid_until = days(-1)
    powers.general_authorisation.save()
    reason = authority_refusal(
        unit=county.town, item=powers.fine_item, procedure=SIMPLE, day=days(0)
    )
    assert "小渡口镇" in reason and "已过期" in reason


def test_a_delegation_not_yet_started_refuses(county, powers):
    powers.general_authorisation.valid_from = days(1)
    powers.general_authorisation.save()
    assert authority_refusal(unit=county.town, item=powers.fine_item, procedure=SIMPLE, day=days(0))


def test_a_simple_only_town_is_refused_the_general_procedure_and_told_whom_to_refer_to(
    county, powers
):
    reason = authority_refusal(
        unit=county.other_town, item=powers.fine_item, procedure=GENERAL, day=days(0)
    )
    assert "仅受委托适用简易程序" in reason and county.department.name in reason
    assert (
        authority_refusal(
            unit=county.other_town, item=powers.fine_item, procedure=SIMPLE, day=days(0)
        )
        is None
    )


def test_a_general_only_item_is_refused_under_the_simple_procedure(county, powers):
    reason = authority_refusal(
        unit=county.town, item=powers.general_only_item, procedure=SIMPLE, day=days(0)
    )
    assert "不适用简易程序" in reason


def test_an_inactive_item_is_refused(county, powers):
    powers.fine_item.is_active = False
    powers.fine_item.save()
    assert "已停用" in authority_refusal(
        unit=county.town, item=powers.fine_item, procedure=SIMPLE, day=days(0)
    )


def test_a_department_acts_on_its_own_items_only(county, powers):
    assert (
        authority_refusal(
            unit=county.department, item=powers.fine_item, procedure=GENERAL, day=days(0)
        )
        is None
    )
    reason = authority_refusal(
        unit=county.other_department, item=powers.fine_item, procedure=GENERAL, day=days(0)
    )
    assert "不是本单位的执法事项" in reason and county.department.name in reason


def test_the_latest_delegation_in_force_counts_when_two_overlap(county, powers):
    TownAuthorisationFactory(
        town=county.town, procedure_level=SIMPLE, valid_from=days(-10), items=[powers.fine_item]
    )
    reason = authority_refusal(
        unit=county.town, item=powers.fine_item, procedure=GENERAL, day=days(0)
    )
    assert "仅受委托适用简易程序" in reason


# --- officers (Art. 42) --------------------------------------------------------------------


def test_a_general_case_needs_two_officers(powers, town_official):
    reason = officers_refusal(officer_ids=[town_official.pk], procedure=GENERAL, day=days(0))
    assert "两名以上" in reason
    assert officers_refusal(officer_ids=[town_official.pk], procedure=SIMPLE, day=days(0)) is None


def test_no_officer_is_refused_even_under_the_simple_procedure(powers):
    assert "至少选择一名" in officers_refusal(officer_ids=[], procedure=SIMPLE, day=days(0))


def test_an_expired_certificate_is_refused(powers, town_official):
    reason = officers_refusal(
        officer_ids=[powers.uncertified_official.pk], procedure=SIMPLE, day=days(0)
    )
    assert "冯无证" in reason and "没有有效的执法证" in reason


def test_a_certificate_expiring_today_is_valid_today_and_not_tomorrow(county):
    officer = TownUserFactory(display_name="卫今日", organisation=county.town)
    OfficerCertificateFactory(officer=officer, expires_on=days(0))
    assert officers_refusal(officer_ids=[officer.pk], procedure=SIMPLE, day=days(0)) is None
    assert officers_refusal(officer_ids=[officer.pk], procedure=SIMPLE, day=days(1))


def test_a_revoked_certificate_is_refused_from_its_revocation_day(county):
    officer = TownUserFactory(display_name="蒋注销", organisation=county.town)
    OfficerCertificateFactory(officer=officer, revoked_on=days(0))
    assert "蒋注销" in officers_refusal(officer_ids=[officer.pk], procedure=SIMPLE, day=days(0))
    assert officers_refusal(officer_ids=[officer.pk], procedure=SIMPLE, day=days(-1)) is None


def test_a_certificate_not_yet_issued_does_not_count(county):
    officer = TownUserFactory(organisation=county.town)
    OfficerCertificateFactory(officer=officer, issued_on=days(1))
    assert certified_officer_ids([officer.pk], days(0)) == []


# --- numbering -----------------------------------------------------------------------------


def test_numbers_run_from_one_per_unit_year_and_kind(county):
    with transaction.atomic():
        first = [take_number(unit=county.town, year=2026, kind="决定书") for _ in range(3)]
        other_kind = take_number(unit=county.town, year=2026, kind="立案")
        other_unit = take_number(unit=county.other_town, year=2026, kind="决定书")
        next_year = take_number(unit=county.town, year=2027, kind="决定书")
    assert first == [1, 2, 3]
    assert (other_kind, other_unit, next_year) == (1, 1, 1)
    assert DocumentCounter.objects.get(unit=county.town, year=2026, kind="决定书").last_number == 3


def test_a_rolled_back_document_leaves_no_gap(county):
    with transaction.atomic():
        assert take_number(unit=county.town, year=2026, kind="决定书") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_number(unit=county.town, year=2026, kind="决定书") == 2
        raise RuntimeError("the document failed")
    with transaction.atomic():
        assert take_number(unit=county.town, year=2026, kind="决定书") == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused(county):
    # a plain test runs inside a transaction: this one needs autocommit to see the check
    with pytest.raises(RuntimeError, match="inside the document's transaction"):
        take_number(unit=county.town, year=2026, kind="决定书")


def test_the_document_label_reads_as_issued():
    label = document_label(unit_abbr="澧应急", kind_abbr="简罚", year=2026, number=12)
    assert label == "澧应急简罚〔2026〕12号"


@pytest.mark.django_db(transaction=True)
def test_forty_numbers_taken_by_eight_threads_at_once_are_exactly_one_to_forty(county):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (row locks)")
    barrier = threading.Barrier(8)
    taken: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def issue():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                with transaction.atomic():
                    number = take_number(unit=county.town, year=2026, kind="决定书")
                with lock:
                    taken.append(number)
        except Exception as error:  # reported below: a thread must not die silently
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(taken) == list(range(1, 41))
    assert DocumentCounter.objects.get(unit=county.town, year=2026, kind="决定书").last_number == 40
