"""The enforcement personas are what their docstring says (the areas' tests build on them)."""

from enforcement.authority.models import Procedure
from enforcement.rules import authority_refusal, officers_refusal
from tests.enforcement.factories import days


def test_the_general_town_may_open_a_general_case_and_the_simple_town_may_not(county, powers):
    today = days(0)
    assert (
        authority_refusal(
            unit=county.town, item=powers.fine_item, procedure=Procedure.GENERAL, day=today
        )
        is None
    )
    reason = authority_refusal(
        unit=county.other_town, item=powers.fine_item, procedure=Procedure.GENERAL, day=today
    )
    assert "仅受委托适用简易程序" in reason


def test_an_expired_certificate_does_not_count(powers, town_official):
    ids = [town_official.pk, powers.uncertified_official.pk]
    reason = officers_refusal(officer_ids=ids, procedure=Procedure.GENERAL, day=days(0))
    assert "冯无证" in reason
    ids = [town_official.pk, powers.town_partner.pk]
    assert officers_refusal(officer_ids=ids, procedure=Procedure.GENERAL, day=days(0)) is None
