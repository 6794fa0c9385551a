"""The page-panel registry (safetyportal/core/panels.py): an app registers panels for a
page of an app below it; the page shows those of its key, in order, each with its
context, leaving out a panel whose context is None."""

from __future__ import annotations

import pytest

from safetyportal.core import panels
from safetyportal.core.panels import Panel, panels_for, registered


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})
    monkeypatch.setattr(panels, "_discovered", True)


def panel(key, page="p", order=1, context=lambda user, obj: {"obj": obj}):
    return Panel(key=key, page=page, order=order, template=f"{key}.html", context=context)


def test_panels_of_a_page_come_in_order_with_their_record(empty_registry):
    panels.register(panel("b", order=2))
    panels.register(panel("a", order=1))
    panels.register(panel("other", page="q"))
    panels.register(panel("none", order=3, context=lambda user, obj: None))
    shown = panels_for(None, "p", "the record")
    assert [(p.key, p.template, p.context) for p in shown] == [
        ("a", "a.html", {"obj": "the record"}),
        ("b", "b.html", {"obj": "the record"}),
    ]
    assert [p.key for p in registered("q")] == ["other"]


def test_a_key_registered_twice_is_refused(empty_registry):
    panels.register(panel("x"))
    panels.register(panel("x"))  # the same panel again (a module imported twice) is fine
    with pytest.raises(ValueError, match="already registered"):
        panels.register(panel("x", order=2))


def test_panels_are_found_in_the_apps_panels_modules(monkeypatch):
    monkeypatch.setattr(panels, "_discovered", False)
    assert "hazards.enterprise_hazards" in {p.key for p in registered("enterprises.file")}
