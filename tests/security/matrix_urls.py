"""The walk behind the role matrix: every page URL of the resolver, and every API path of
the schema, turned into concrete requests on the world's records."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from functools import reduce

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safetyportal.workflow.steps import Workflow
from tests.security.matrix_map import ROLE_GATED, URL_OBJECTS

INT_PARAM = re.compile(r"<int:(\w+)>")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
SKIPPED_PREFIXES = ("api/", "admin/")  # the API is walked through its schema; admin: ADR 0001
PERSONAS = (
    "county_office",
    "leader",
    "town",
    "other_town",
    "department",
    "other_department",
    "enterprise",
    "expert",
    "ungranted_expert",
    "anonymous",
)


@dataclass
class Page:
    route: str
    name: str
    callback: object
    params: list[str] = field(default_factory=list)

    @property
    def has_id(self) -> bool:
        return bool(INT_PARAM.search(self.route))


def walk(resolver=None, prefix: str = "", namespaces: tuple[str, ...] = ()) -> list[Page]:
    resolver = resolver or get_resolver()
    pages = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            pages += walk(entry, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            name = ":".join([*namespaces, entry.name])
            pages.append(Page(route, name, entry.callback, PARAM.findall(route)))
    return pages


def unmapped_id_pages(pages) -> list[str]:
    """Page URLs with an integer part that the matrix cannot place, with the line to add."""
    missing = []
    for page in pages:
        if page.has_id and page.name not in URL_OBJECTS and page.name not in ROLE_GATED:
            kwargs = ", ".join(f'"{p}": "pk"' for p in page.params)
            missing.append(
                f'{page.route} ({page.name}): add "{page.name}": ("<app_label.Model>", '
                f"{{{kwargs}}}) to URL_OBJECTS in tests/security/matrix_map.py (the model "
                f"whose door the view calls; see the module's docstring), or a line with its "
                f"reason to ROLE_GATED if it names no record of a jurisdiction"
            )
    return missing


def workflow_of(page: Page) -> Workflow | None:
    view = inspect.unwrap(page.callback)
    source = inspect.getsource(view)
    for name, value in view.__globals__.items():
        if isinstance(value, Workflow) and name in source:
            return value
    return None


def _attr(obj, path: str):
    return reduce(getattr, path.split("."), obj)


def requests_for(page: Page, obj, *, all_steps: bool):
    """The URLs naming `obj` through `page` (one per workflow step for a step URL)."""
    _label, spec = URL_OBJECTS[page.name]
    steps = [None]
    if "step" in spec.values():
        workflow = workflow_of(page)
        assert workflow is not None, f"{page.name}: no Workflow found in the view's module"
        names = [step.name for step in workflow]
        steps = names if all_steps else names[:1]
    for step in steps:
        kwargs = {}
        for kwarg, source in spec.items():
            if source == "step":
                kwargs[kwarg] = step
            elif source.startswith("="):
                kwargs[kwarg] = source[1:]
            else:
                kwargs[kwarg] = _attr(obj, source)
        yield reverse(page.name, kwargs=kwargs)


def records(label: str):
    return list(apps.get_model(label)._default_manager.order_by("pk"))


def release(response) -> None:
    """Close a file download's file (response.close() would also send request_finished,
    which closes the test's database connection)."""
    file = getattr(response, "file_to_stream", None)
    if file is not None:
        file.close()
    for closer in getattr(response, "_resource_closers", ()):  # what close() runs, minus the signal
        closer()
