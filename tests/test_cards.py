"""The home-page card registry (safetyportal/core/cards.py): apps register cards, the
home page shows those of the user's role in order, grouped into rows by slot."""

from __future__ import annotations

import pytest

from safetyportal.core import cards
from safetyportal.core.cards import Card, ShownCard, cards_for, registered, rows


def shown(key: str, slot) -> ShownCard:
    return ShownCard(key=key, template="t.html", slot=slot, context={})


def test_every_app_with_home_content_registers_its_cards():
    keys = {card.key for card in registered()}
    assert {
        "notifications.unread",
        "responsibilities.latest_reminder",
        "enterprises.county_figures",
        "enterprises.todo",
        "hazards.todo",
    } <= keys


def test_cards_come_in_order_and_only_for_their_roles(monkeypatch, county_officer):
    monkeypatch.setattr(cards, "_cards", {})
    monkeypatch.setattr(cards, "_discovered", True)
    cards.register(
        Card(key="b", roles=["county_office"], order=2, template="b.html", context=lambda u: {})
    )
    cards.register(
        Card(key="a", roles=["county_office"], order=1, template="a.html", context=lambda u: {})
    )
    cards.register(Card(key="c", roles=["town"], order=0, template="c.html", context=lambda u: {}))
    cards.register(
        Card(key="d", roles=["county_office"], order=3, template="d.html", context=lambda u: None)
    )
    assert [c.key for c in cards_for(county_officer, "county_office")] == ["a", "b"]


def test_a_key_registered_twice_is_refused(monkeypatch):
    monkeypatch.setattr(cards, "_cards", {})
    cards.register(Card(key="x", roles=["town"], order=1, template="x.html", context=dict))
    with pytest.raises(ValueError, match="already registered"):
        cards.register(Card(key="x", roles=["town"], order=2, template="y.html", context=dict))


def test_figures_and_half_cards_share_a_row_and_full_cards_stand_alone():
    grouped = rows(
        [
            shown("f1", "figure"),
            shown("f2", "figure"),
            shown("h1", "half"),
            shown("h2", "half"),
            shown("w1", "full"),
            shown("w2", "full"),
        ]
    )
    assert [(slot, [c.key for c in group]) for slot, group in grouped] == [
        ("figure", ["f1", "f2"]),
        ("half", ["h1", "h2"]),
        ("full", ["w1"]),
        ("full", ["w2"]),
    ]
