"""Schemathesis over the portal's own /api/schema/, in-process (WSGI), as one user.

`fuzz(schema, headers, examples=...)` walks every operation the schema has at run time
(a new endpoint joins without a line here), draws `examples` positive and `examples`
negative cases per operation with a fixed seed (derandomized: the same cases every run),
sends each one through Django's WSGI handler in a savepoint that is rolled back (so
state-changing operations are fuzzed too and leave nothing behind) and runs the checks:

- not_a_server_error: never a 5xx;
- status_code_conformance: every answer is a status the operation documents;
- content_type_conformance, response_schema_conformance, response_headers_conformance:
  the answer matches what the operation documents for that status;
- negative_data_rejection: input that breaks the schema is refused with a 4xx.

Path ids: a positive case names, half the time, a real row of the operation's model (any
row, in or out of the user's jurisdiction), so operations reach real objects and the
role's doors (404/403) and the steps' states (409) are exercised, not only "no such id".

Failures are collected, not raised one by one: a failure is distinct per operation, check
and status, the way a fuzzer's report counts them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
from django.core import signals
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode, openapi
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks as openapi_checks

CHECKS = [
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
]
SEED = 20260114


@dataclass
class Report:
    operations: int = 0
    examples: int = 0
    seconds: float = 0.0
    # (method path, check title, status) -> one example's description
    failures: dict[tuple[str, str, int], str] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.operations} operations, {self.examples} examples, "
            f"{len(self.failures)} distinct failures, {self.seconds:.1f} s"
        )

    def details(self, limit: int = 40) -> str:
        lines = [f"{key[0]} [{key[2]}] {key[1]}: {text}" for key, text in self.failures.items()]
        return "\n".join(sorted(lines)[:limit])


@contextlib.contextmanager
def in_process() -> Iterator[WSGIHandler]:
    """Django's WSGI handler on the test's own connection: like django.test.Client, the
    request signals must not close the connection (it is inside the test transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def auth_headers(user: Any) -> dict[str, str]:
    """The user's DRF token; identity encoding, so the bodies checked are the JSON itself
    (a real client decompresses what GZipMiddleware sends; the WSGI test client does not)."""
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}


def load_schema(app: WSGIHandler, user: Any):
    """The schema exactly as /api/schema/ serves it (JSON), bound to the in-process app."""
    return openapi.from_wsgi("/api/schema/?format=json", app, headers=auth_headers(user))


def _model_for(path: str) -> Any:
    """The model behind an operation's {id}, from the viewset the URL resolves to."""
    sample = path.replace("{id}", "1").replace("{indicator_code}", "x")
    try:
        match = resolve(sample)
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def real_ids(path: str, user: Any, limit: int = 30) -> list[int]:
    """Rows the user may see first (the first example names one), then any rows."""
    model = _model_for(path)
    if model is None:
        return []
    rows = model._default_manager.order_by("pk")
    visible = getattr(model._default_manager, "visible_to", None)
    seen = (
        list(visible(user).order_by("pk").values_list("pk", flat=True)[:limit]) if visible else []
    )
    others = list(rows.exclude(pk__in=seen).values_list("pk", flat=True)[:limit])
    return seen + others


def _failure_key(operation: str, failure: Any, status: int) -> tuple[str, str, int]:
    return (operation, str(getattr(failure, "title", type(failure).__name__)), status)


def _fuzz_operation(
    operation: Any,
    user: Any,
    headers: dict[str, str],
    examples: int,
    mode: GenerationMode,
    report: Report,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    ids = real_ids(operation.path, user) if "{id}" in operation.path else []
    strategy = operation.as_strategy(generation_mode=mode)
    if ids and mode is GenerationMode.POSITIVE:
        pick = st.one_of(st.sampled_from(ids), st.none())
    else:
        pick = st.none()

    @hypothesis.settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @hypothesis.seed(SEED)
    @hypothesis.given(case=strategy, real_id=pick)
    def run(case, real_id):
        if real_id is not None:
            case.path_parameters = {**(case.path_parameters or {}), "id": real_id}
        report.examples += 1
        with transaction.atomic():
            response = case.call(headers=headers)
            status = response.status_code
            try:
                if status >= 500:
                    report.failures.setdefault(
                        (label, "Server error", status), _describe(case, response)
                    )
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    report.failures.setdefault(
                        _failure_key(label, failure, status), _describe(case, response, failure)
                    )
            finally:
                transaction.set_rollback(True)
        for cache in caches.all():  # throttle counters: every example starts afresh
            cache.clear()

    run()


def _describe(case: Any, response: Any, failure: Any = None) -> str:
    body = response.content[:300].decode("utf-8", "replace") if response.content else ""
    sent = {
        "path": case.path_parameters,
        "query": case.query,
        "body": case.body if not isinstance(case.body, bytes) else "<bytes>",
        "media_type": case.media_type,
    }
    message = str(getattr(failure, "message", "") or "")[:300] if failure else ""
    return f"sent {sent!r:.300} -> {response.status_code} {body!r} {message}"


BOTH = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def fuzz(schema: Any, user: Any, *, examples: int, alternate: int | None = None) -> Report:
    """`examples` cases per operation in each mode; with `alternate` (the bounded run of
    `make test`), one mode per operation instead, positive and negative in turn from
    operation to operation, starting with the other mode for an odd `alternate` (the
    next role), so two roles in a row give every operation both kinds of case."""
    headers = auth_headers(user)
    report = Report()
    started = time.monotonic()
    for index, result in enumerate(schema.get_all_operations()):
        operation = result.ok()
        report.operations += 1
        modes = BOTH if alternate is None else (BOTH[(index + alternate) % 2],)
        for mode in modes:
            _fuzz_operation(operation, user, headers, examples, mode, report)
    report.seconds = time.monotonic() - started
    return report
