"""No import cycles among the project's modules (ADR 0008).

The layers contract (`lint-imports`, pyproject.toml) keeps the apps in one order; this test
looks inside them: no module may reach itself through imports, top-level or inside a
function, which is what makes a module's dependencies readable one way. grimp is the
import graph import-linter itself builds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("safetyportal", "responsibilities", "enterprises", "hazards", "enforcement")

# The cycles issue 7 found, being removed by the enterprises reorganisation and the hazards
# port onto the workflow kit. The list only shrinks: a new cycle fails the test below, and
# so does a listed one that is gone (delete its line; the list's goal is to be empty).
KNOWN_CYCLES: list[list[str]] = []


def import_graph():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def cycles(graph) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative, so a long import chain cannot hit the recursion limit
        work = [(start, iter(edges.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(groups)


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    class Graph:
        modules = {"a", "b", "c", "d"}
        imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        def find_modules_directly_imported_by(self, module):
            return self.imports.get(module, set())

    assert cycles(Graph()) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others():
    found = cycles(import_graph())
    new = [group for group in found if group not in KNOWN_CYCLES]
    assert new == [], "import cycles:\n" + "\n".join(" <-> ".join(group) for group in new)
    gone = [group for group in KNOWN_CYCLES if group not in found]
    assert gone == [], "no longer cycles, delete them from KNOWN_CYCLES: " + str(gone)


def test_the_layers_contract_makes_no_exceptions():
    """A lower app reaches a higher one only through a registry the higher app fills
    (home cards, page panels, audit verbs); the contract lists no ignored imports."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    assert contracts["layers"].get("ignore_imports", []) == []
