"""One way to register audit verbs: each app's verbs.py; every verb a service records is
declared there (checked in the code here, and by record_event when it runs)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from safetyportal.audit.services import record_event
from safetyportal.audit.verbs import is_registered, label_for, registered

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("safetyportal", "responsibilities", "enterprises", "hazards", "enforcement")


def recorded_verbs() -> list[tuple[str, int, str]]:
    """(file, line, verb) of every record_event(..., verb="...") with a literal verb."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "record_event":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "verb" and isinstance(keyword.value, ast.Constant):
                        found.append(
                            (str(path.relative_to(ROOT)), node.lineno, keyword.value.value)
                        )
    return found


def test_the_scan_finds_the_services_verbs():
    verbs = {verb for _, _, verb in recorded_verbs()}
    assert {"hazard.reported", "enterprise.registered", "user.created"} <= verbs


def test_every_recorded_verb_is_declared_in_an_apps_verbs_module():
    undeclared = [
        f"{f}:{line} {verb}" for f, line, verb in recorded_verbs() if not is_registered(verb)
    ]
    assert undeclared == []


def test_every_declared_verb_is_namespaced_and_has_a_chinese_label():
    for verb, label in registered().items():
        assert verb.count(".") == 1, verb
        assert str(label) and str(label) != verb, verb
    assert label_for("hazard.verified") == "核查通过，销号"


def test_record_event_refuses_an_undeclared_verb(county, county_officer):
    with pytest.raises(ValueError, match="enterprise.renamed"):
        record_event(actor=county_officer, verb="enterprise.renamed", target=county.xdk_chem)
