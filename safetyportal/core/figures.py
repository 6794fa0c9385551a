"""Kept figures: a home page's counts computed once per scope and kept until a write
changes them (ADR 0011).

A card's figures come from one aggregate query; at a city's size even that query reads
tens of thousands of rows, so the card keeps its answer in the cache under a key made of

- the figure's name and the SQL of the query that computes it (the user's scope, today's
  date and every filter are in that SQL, so two users share an entry exactly when they
  would get the same answer: no role is compared here), and
- the current token of each *topic* the figures depend on ("hazards", "enterprises", ...).

A topic's token lives in the database (`FigureGeneration`), one row per topic. The apps
declare which models feed which topic (`watch(...)` from their AppConfig.ready or, for
the composition layer, from the dashboard's), and every save or delete of such a model
replaces the topic's token *in the same transaction*: the write and the new token are
committed together, so a page read after the commit never finds the old entry, in any
process, and a rolled-back write changes nothing. Writes that bypass the model's signals
(`bulk_create`, `QuerySet.update`, COPY) call `touch(topic)` themselves. The cache entry
also expires after `TTL` seconds, a safety net for a write path that forgot.
"""

from __future__ import annotations

import contextvars
import hashlib
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import models
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

TTL = 10 * 60  # seconds; the safety net, not the mechanism
CACHE = "figures"  # the cache alias (settings.CACHES)
_PREFIX = "figures:v1"

# the topics some app watches (for `touch_all`)
_watched_topics: set[str] = set()

# within a page (see `reading`): [] until the tokens are read, then [{topic: token}]
_tokens: contextvars.ContextVar[list[dict[str, str]] | None] = contextvars.ContextVar(
    "figure_tokens", default=None
)


def _model():
    from safetyportal.core.models import FigureGeneration

    return FigureGeneration


def touch(*topics: str) -> None:
    """Give `topics` new tokens (inside the caller's transaction when there is one): every
    figure kept for them is recomputed on its next read."""
    if not topics:
        return
    FigureGeneration = _model()
    FigureGeneration.objects.bulk_create(
        [FigureGeneration(topic=topic, token=uuid.uuid4().hex) for topic in sorted(set(topics))],
        update_conflicts=True,
        unique_fields=["topic"],
        update_fields=["token"],
    )


def touch_all() -> None:
    """New tokens for every watched topic: after a bulk load (demo or scale data)."""
    touch(*_watched_topics)


def _current_tokens() -> dict[str, str]:
    """Every topic's token (one query; once per page inside `reading`). A topic never
    touched has no row: its token is "" until the first write."""
    page = _tokens.get()
    if page is not None and page:
        return page[0]
    tokens = dict(_model().objects.values_list("topic", "token"))
    if page is not None:
        page.append(tokens)
    return tokens


@contextmanager
def reading() -> Iterator[None]:
    """Within the block (one page), topic tokens are read from the database once."""
    reset = _tokens.set([])
    try:
        yield
    finally:
        _tokens.reset(reset)


def sql_key(queryset: models.QuerySet) -> str:
    """The SQL (with its parameters) that `queryset` runs: the exact identity of a scope."""
    sql, params = queryset.query.sql_with_params()
    return f"{sql}\x00{params!r}"


def kept(
    name: str, *, topics: Collection[str], scope: Iterable[str], compute: Callable[[], T]
) -> T:
    """`compute()`, or its answer kept from an earlier call with the same `name`, the same
    `scope` (strings identifying exactly what is counted; use `sql_key`) and no write to
    any of `topics` since."""
    tokens = _current_tokens()
    digest = hashlib.sha256()
    for part in (name, *(f"{t}={tokens.get(t, '')}" for t in sorted(topics)), *scope):
        digest.update(part.encode())
        digest.update(b"\x00")
    key = f"{_PREFIX}:{name}:{digest.hexdigest()}"
    store = caches[CACHE]
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, TTL)
    return value


def watch(topic: str, model: type[models.Model], *, fields: Collection[str] = ()) -> None:
    """Every save or delete of `model` touches `topic`; with `fields`, a save naming its
    `update_fields` touches it only when one of them is among `fields` (a save of other
    columns changes no figure)."""
    # update_fields may name a foreign key by its name or its column (town / town_id)
    watched = frozenset(fields) | {f"{field}_id" for field in fields}

    def saved(sender, instance, update_fields=None, **kwargs: Any):
        if watched and update_fields is not None and not (watched & set(update_fields)):
            return
        touch(topic)

    def deleted(sender, instance, **kwargs: Any):
        touch(topic)

    _watched_topics.add(topic)
    uid = f"figures:{topic}:{model._meta.label}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
