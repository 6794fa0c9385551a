"""The enforcement app's home-page cards (see safetyportal/core/cards.py). One section per
area, like enforcement/permissions.py."""

from __future__ import annotations

from enforcement.permissions import CARD_AUDIENCES
from safetyportal.core.cards import Card, register

# --- accidents ---------------------------------------------------------------------------


def accidents_card(user) -> dict:
    """This year's accidents and deaths against last year's to the same date (one
    aggregate)."""
    from enforcement.accidents.statistics import county_change

    return {"row": county_change()}


register(
    Card(
        key="enforcement.accidents",
        roles=CARD_AUDIENCES["accidents"],
        order=70,
        template="enforcement/accidents/_card.html",
        context=accidents_card,
        slot="half",
    )
)
