from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from safetyportal.audit import verbs
from safetyportal.audit.models import AuditEvent


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


def record_event(
    *, actor, verb: str, target: models.Model, payload: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction. `verb` must be
    declared in an app's verbs.py (see safetyportal/audit/verbs.py)."""
    if not verbs.is_registered(verb):
        raise ValueError(f"audit verb {verb!r} is not declared in any app's verbs.py")
    return AuditEvent.objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        target_repr=str(target)[:200],
        payload=_jsonable(payload or {}),
    )


def record_events(
    *,
    actor,
    verb: str,
    events: Iterable[tuple[models.Model, dict[str, Any] | None]],
    batch_size: int = 5000,
) -> int:
    """Append one audit event per (target, payload), in bulk: what a sweep over thousands
    of objects records instead of calling `record_event` for each. The same guarantees:
    the verb must be declared, rows are only ever inserted (the append-only rules of
    models.py and migration 0002 apply alike), each row reads as `record_event`'s would.
    Call it inside the service's transaction. Returns how many events were written."""
    if not verbs.is_registered(verb):
        raise ValueError(f"audit verb {verb!r} is not declared in any app's verbs.py")
    actor = actor if (actor is not None and actor.is_authenticated) else None
    rows = [
        (
            # cached per model by ContentType's manager: one query per model at most
            ContentType.objects.get_for_model(target, for_concrete_model=False).pk,
            target.pk,
            str(target)[:200],
            json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False),
        )
        for target, payload in events
    ]
    if any(target_id is None for _, target_id, _, _ in rows):
        raise ValueError("audit events need saved targets")
    insert = _insert_with_unnest if connection.vendor == "postgresql" else _insert_with_orm
    for start in range(0, len(rows), batch_size):
        insert(actor, verb, rows[start : start + batch_size])
    return len(rows)


def _insert_with_orm(actor, verb: str, rows: list[tuple[int, int, str, str]]) -> None:
    """Other databases (SQLite, the demo): bulk_create."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            verb=verb,
            target_type_id=type_id,
            target_id=target_id,
            target_repr=target_repr,
            payload=json.loads(payload),
        )
        for type_id, target_id, target_repr, payload in rows
    )


def _insert_with_unnest(actor, verb: str, rows: list[tuple[int, int, str, str]]) -> None:
    """PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) (a sweep's tens of thousands
    of events would spend most of their time building and compiling model instances).
    An INSERT like any other: the append-only trigger of migration 0002 still refuses
    every UPDATE and DELETE."""
    quote = connection.ops.quote_name
    column = {field.name: str(field.column) for field in AuditEvent._meta.concrete_fields}
    names = ["actor", "verb", "created_at", "target_type", "target_id", "target_repr", "payload"]
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(column[name]) for name in names)}) "
        "SELECT %s, %s, %s, y, i, r, p::jsonb FROM unnest("
        "%s::integer[], %s::bigint[], %s::text[], %s::text[]) AS x (y, i, r, p)"
    )
    types, ids, reprs, payloads = (list(values) for values in zip(*rows, strict=True))
    params: list[Any] = [
        actor.pk if actor is not None else None,
        verb,
        timezone.now(),
        types,
        ids,
        reprs,
        payloads,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Readable values of `fields` (related objects and choices by their names), so an
    update's payload reads well in the history years later, even after renames."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation:
            related = getattr(instance, name)
            values[name] = str(related) if related is not None else ""
        elif getattr(field, "choices", None):
            values[name] = str(getattr(instance, f"get_{name}_display")())
        elif isinstance(field, models.BooleanField):
            values[name] = "是" if getattr(instance, name) else "否"
        else:
            value = getattr(instance, name)
            values[name] = "" if value is None else value
    return values


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value differs, for an update's payload."""
    return {name: [before[name], after[name]] for name in before if before[name] != after.get(name)}
