"""Page panels: sections an app higher in the dependency order adds to a page of an app
below it, the way home-page cards (safetyportal/core/cards.py) are added to the home pages.

The page that offers room for panels names it with a key ("enterprises.file": the
enterprise file page) and renders `panels_for(user, key, obj)` where they go, with
`{% show_panel panel %}`; it never imports the apps that fill it. An app puts its panels in
a `panels.py` module (found by `autodiscover_modules("panels")` the first time a page's
panels are read) and registers each with `register(Panel(...))` (ADR 0008).

A panel is one template and one `context(user, obj)` callable returning the template's
context, or None to leave the panel out. The callable reads through its own app's doors
(`visible_to(user)`), so it shows only what the user may see; keep it to a query or two,
independent of how many rows there are (the pages' query-count tests measure it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True, kw_only=True)
class Panel:
    key: str
    page: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class ShownPanel:
    """A panel with its context, ready for `{% show_panel panel %}`."""

    key: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}
_discovered = False


def register(panel: Panel) -> Panel:
    """Add `panel` to its page (from an app's panels.py); a second panel with the same key
    is a mistake, not an override."""
    if panel.key in _panels and _panels[panel.key] != panel:
        raise ValueError(f"a page panel {panel.key!r} is already registered")
    _panels[panel.key] = panel
    return panel


def registered(page: str) -> list[Panel]:
    """The panels registered for `page`, in order."""
    global _discovered
    if not _discovered:
        autodiscover_modules("panels")
        _discovered = True
    return sorted(
        (panel for panel in _panels.values() if panel.page == page),
        key=lambda panel: (panel.order, panel.key),
    )


def panels_for(user, page: str, obj) -> list[ShownPanel]:
    """The panels of `page` that `user` sees for `obj` (the page's record), in order, each
    with its context."""
    shown = []
    for panel in registered(page):
        context = panel.context(user, obj)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, context))
    return shown
