"""The shape of the enterprises app: no import cycles inside it, models that import no
rules or services, and roles looked at in the rules module (and the list scope) only."""

from __future__ import annotations

import ast
from pathlib import Path

import enterprises

ROOT = Path(enterprises.__file__).parent
RULES = {"enterprises.permissions", "enterprises.registry.scope"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The modules of this app that `path` imports, at any depth (in functions too)."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        targets.update(name for name in names if name in MODULES)
    return targets


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _cycle_from(start: str) -> list[str] | None:
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, trail = stack.pop()
        for target in GRAPH[node]:
            if target == start:
                return [*trail, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*trail, target]))
    return None


def test_the_app_has_no_import_cycles():
    cycles = [c for name in sorted(GRAPH) if (c := _cycle_from(name))]
    assert cycles == []


def test_models_import_neither_rules_nor_services():
    layers_above = {"services", "views", "api", "forms", "selectors", "tasks", "jobs"}
    for name, targets in GRAPH.items():
        if name.endswith("models"):
            above = {
                t
                for t in targets
                if t == "enterprises.permissions" or t.rsplit(".", 1)[-1] in layers_above
            }
            assert above == set(), name


def test_the_app_is_shaped_in_sub_packages():
    for package in ("registry", "duties", "assessment", "importing"):
        assert {"models", "views"} <= {p.stem for p in (ROOT / package).glob("*.py")}
    flat = {p.stem for p in ROOT.glob("*.py")}
    # beside the app's plumbing, the modules every app has for the platform's registries:
    # audit verbs, home cards, page panels, notice kinds, appraisal rules
    assert flat <= {
        "__init__",
        "admin",
        "appraisal",
        "apps",
        "cards",
        "notice_kinds",
        "demo",
        "models",
        "panels",
        "permissions",
        "reference",
        "tasks",
        "urls",
        "verbs",
    }


def test_roles_are_looked_at_in_the_rules_only():
    offenders = []
    for name, path in MODULES.items():
        if name in RULES:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "role":
                offenders.append(f"{name}:{node.lineno} .role")
            if isinstance(node, ast.Name) and node.id == "Role":
                offenders.append(f"{name}:{node.lineno} Role")
            if isinstance(node, ast.keyword) and node.arg == "role":
                offenders.append(f"{name}:{node.lineno} role=")
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "Role." not in text and ".role" not in text, template
    assert offenders == []
