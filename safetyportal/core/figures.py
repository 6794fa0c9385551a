"""Kept figures: a home page's counts computed once per scope and kept until a write
changes them (ADR 0017).

A card's figures come from one aggregate query; at a city's size even that query reads
tens of thousands of rows, so the card keeps its answer in the cache under a key made of

- the figure's name and the SQL of the query that computes it (the user's scope, today's
  date and every filter are in that SQL, so two users share an entry exactly when they
  would get the same answer: no role is compared here), and
- the current token of each *topic* the figures depend on ("hazards", "enterprises", ...).

A topic's token is read from the database: every save or delete of a model the topic
watches (`watch(...)`, declared next to the card; ADR 0017) adds a row to `FigureChange` *in the
writing transaction*, and the token is (lowest id, highest id, number of rows) of the
topic's rows. The row becomes visible with the write's commit, so a page read after the
commit, in any process, finds a new token and recomputes; a rolled-back write adds
nothing. Writers only insert: no shared row is locked, so two writes never wait for each
other or deadlock. Old rows are pruned after commit (`DELETE ... WHERE id < threshold`);
that changes the token too (one more recomputation) but can never bring back an old one:
a row is never re-used, and a prune removes every committed row below its threshold, so
two tokens with the same lowest id, highest id and count name the same set of rows.

Writes that bypass the model's signals (`bulk_create`, `QuerySet.update`, COPY) call
`touch(topic)` themselves. The cache entry also expires after `TTL` seconds, a safety net
for a write path that forgot.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import models, transaction
from django.db.models import Count, Max, Min
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

TTL = 10 * 60  # seconds; the safety net, not the mechanism
CACHE = "figures"  # the cache alias (settings.CACHES)
_PREFIX = "figures:v1"
# after commit, one write in PRUNE_EVERY (by id) deletes its topic's rows older than KEEP ids
PRUNE_EVERY = 100
KEEP = 1000

# the topics some app watches (for `touch_all`)
_watched_topics: set[str] = set()

# within a page (see `reading`): [] until the tokens are read, then [{topic: token}]
_tokens: contextvars.ContextVar[list[dict[str, str]] | None] = contextvars.ContextVar(
    "figure_tokens", default=None
)


def _model():
    from safetyportal.core.models import FigureChange

    return FigureChange


def touch(*topics: str) -> None:
    """Mark `topics` changed (inside the caller's transaction when there is one): every
    figure kept for them is recomputed on its first read after the commit."""
    if not topics:
        return
    FigureChange = _model()
    rows = FigureChange.objects.bulk_create(
        [FigureChange(topic=topic) for topic in sorted(set(topics))]
    )
    for row in rows:
        if row.pk is not None and row.pk % PRUNE_EVERY == 0:
            transaction.on_commit(functools.partial(_prune, row.topic, row.pk - KEEP))


def _prune(topic: str, below: int) -> None:
    # its own short transaction after the write's commit: waits for nobody but another prune
    _model().objects.filter(topic=topic, pk__lt=below).delete()


def touch_all() -> None:
    """New tokens for every watched topic: after a bulk load (demo or scale data)."""
    touch(*_watched_topics)


def current_tokens() -> dict[str, str]:
    """Every topic's token (one query; once per page inside `reading`). A topic with no
    rows has the token "" until its first write."""
    page = _tokens.get()
    if page is not None and page:
        return page[0]
    tokens = {
        row["topic"]: f"{row['low']}-{row['high']}-{row['rows']}"
        for row in _model()
        .objects.order_by()
        .values("topic")
        .annotate(low=Min("pk"), high=Max("pk"), rows=Count("pk"))
    }
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
    tokens = current_tokens()
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
