"""Defects found in the final review of the exposure board, each pinned by a test."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from enforcement.exposure.services import publish_case
from tests.enforcement.factories import ClosedCaseFactory

pytestmark = pytest.mark.django_db


def test_a_persons_name_in_the_facts_is_masked_on_the_public_board(
    county, powers, town_official, county_officer
):
    """The board names a private person by the family name only; the facts summary must
    not publish the full name the officer wrote into the facts."""
    case = ClosedCaseFactory(
        enterprise=None,
        unit=county.town,
        town=county.town,
        item=powers.fine_item,
        party_kind="person",
        party_name="张三丰",
        facts="张三丰在加油站内吸烟，经劝阻张三丰仍不改正",
        fine=Decimal("200"),
        created_by=town_official,
    )
    exposure = publish_case(actor=county_officer, case_id=case.pk)
    assert "张三丰" not in exposure.facts_summary
    assert exposure.facts_summary == "张**在加油站内吸烟，经劝阻张**仍不改正"
    page = Client().get(f"/enforcement/exposure/{exposure.pk}/").content.decode()
    assert "张三丰" not in page
