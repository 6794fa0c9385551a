"""Home-page cards: each app declares what it shows on a role's home page; the platform
only keeps the list.

An app puts its cards in a `cards.py` module (found by `autodiscover_modules("cards")` the
first time the list is read) and registers each with `register(Card(...))`. The page that
shows them lives in the composition layer (safetyportal/dashboard), so the platform never
imports a domain app and a domain app never builds another app's page (ADR 0008).

A card is one template and one `context(user)` callable that returns the template's
context, or None to leave the card out for this user. Keep each callable to a query or
two, independent of how many rows there are (tests/test_page_queries.py measures it).
Figures that count a whole scope are kept (safetyportal/core/figures.py, ADR 0017): the
card computes them with one aggregate and keeps the answer until a watched write. The
dashboard loads every cards.py when the project starts, so those watches are in place
in every process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.module_loading import autodiscover_modules

from safetyportal.core.figures import reading

# figure: a small figure in the row at the top (the template renders its own columns);
# half: half the width, next to the other half card; full: the whole width.
Slot = Literal["figure", "half", "full"]


@dataclass(frozen=True, kw_only=True)
class Card:
    key: str
    roles: Collection[str]
    order: int
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    slot: Slot = "full"

    def __post_init__(self) -> None:
        # accept any iterable of roles (Role members are str)
        object.__setattr__(self, "roles", frozenset(str(role) for role in self.roles))


@dataclass(frozen=True)
class ShownCard:
    """A card with its context, ready for `{% include card.template with card=card.context %}`."""

    key: str
    template: str
    slot: Slot
    context: dict[str, Any]


_cards: dict[str, Card] = {}
_discovered = False


def register(card: Card) -> Card:
    """Add `card` to the list (from an app's cards.py); a second card with the same key is
    a mistake, not an override."""
    if card.key in _cards and _cards[card.key] != card:
        raise ValueError(f"a home-page card {card.key!r} is already registered")
    _cards[card.key] = card
    return card


def registered() -> list[Card]:
    global _discovered
    if not _discovered:
        autodiscover_modules("cards")
        _discovered = True
    return sorted(_cards.values(), key=lambda card: (card.order, card.key))


def cards_for(user, role: str) -> list[ShownCard]:
    """The cards `user` sees on the home page of `role`, in order, each with its context."""
    shown = []
    with reading():  # the kept figures' tokens: read once for the page
        for card in registered():
            if role not in card.roles:
                continue
            context = card.context(user)
            if context is not None:
                shown.append(ShownCard(card.key, card.template, card.slot, context))
    return shown


def rows(cards: list[ShownCard]) -> list[tuple[Slot, list[ShownCard]]]:
    """Consecutive cards of one slot grouped into rows, for the page's layout."""
    grouped: list[tuple[Slot, list[ShownCard]]] = []
    for card in cards:
        if grouped and grouped[-1][0] == card.slot and card.slot != "full":
            grouped[-1][1].append(card)
        else:
            grouped.append((card.slot, [card]))
    return grouped
