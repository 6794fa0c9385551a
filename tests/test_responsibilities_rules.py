"""The responsibilities app's rules (responsibilities/permissions.py): the organisation tree
is for officials; the home cards' audiences are declared there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from responsibilities.permissions import CARD_AUDIENCES, Action, refusal
from safetyportal.core.cards import registered

URL = "/responsibilities/organisations/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("leader", 200),
        ("department_official", 200),
        ("town_official", 200),
        ("enterprise_manager", 403),
        ("expert", 403),
    ],
)
def test_the_organisation_tree_is_for_officials(persona, status, request, client_for, county):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(URL)
    assert response.status_code == status
    assert (refusal(user, Action.VIEW_ORGANISATIONS) is None) == (status == 200)
    if status == 403:
        assert "该页面仅对机关用户开放" in response.content.decode()


def test_the_organisation_tree_answers_get_only(client_for, county_officer):
    assert reverse("responsibilities:organisations") == URL
    assert client_for(county_officer).post(URL).status_code == 405


def test_the_apps_cards_take_their_audience_from_the_rules():
    roles = {card.key: card.roles for card in registered()}
    for name, audience in CARD_AUDIENCES.items():
        assert roles[f"responsibilities.{name}"] == frozenset(audience)
