"""Role names are compared in each app's rules module only (issue 7 item 4): not in a
template, and not in the home cards or page panels, whose audiences are declared with the
rules (`CARD_AUDIENCES` in <app>/permissions.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("safetyportal", "responsibilities", "enterprises", "hazards", "enforcement")
# `user.role`, `role == "..."`, `Role.X`: a template deciding by role name
ROLE_IN_TEMPLATE = re.compile(r"\.role\b|\brole\s*[!=]=|\bRole\.")


def templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    for package in PACKAGES:
        found += sorted((ROOT / package).rglob("templates/**/*.html"))
    return found


def role_lookups(path: Path) -> list[str]:
    """`.role`, the name `Role` and a `role=` keyword in a Python module."""
    offenders = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "role":
            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .role")
        if isinstance(node, ast.Name) and node.id == "Role":
            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} Role")
        if isinstance(node, ast.keyword) and node.arg == "role":
            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} role=")
    return offenders


def test_the_scan_sees_the_apps_templates():
    names = {path.name for path in templates()}
    assert {"base.html", "_todo_card.html", "home_county.html", "enterprise_hazards.html"} <= names


def test_no_template_compares_role_names():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group()}"
        for path in templates()
        for match in ROLE_IN_TEMPLATE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cards_and_panels_take_their_audience_from_the_rules():
    modules = [
        path
        for package in PACKAGES
        for name in ("cards.py", "panels.py")
        for path in (ROOT / package).glob(name)
    ]
    assert {p.parent.name for p in modules if p.name == "cards.py"} >= {
        "enterprises",
        "hazards",
        "responsibilities",
    }
    assert [offender for path in modules for offender in role_lookups(path)] == []
