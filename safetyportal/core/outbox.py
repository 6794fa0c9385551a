"""The durable outbox (ADR 0040): tasks kept in the database while the broker is down.

`enqueue_on_commit(..., on_unreachable=keep_for_retry)` stores the task here when the
broker refuses it, and `relay()` sends the stored tasks once the broker answers again.
The relay runs at the next successful enqueue of the process that stored one, when a
worker starts, every minute from beat (`relay_outbox_task`) and by `manage.py
relay_outbox`. Tasks are safe to run twice (CONTRIBUTING), so a row sent just before a
crash and sent again afterwards does no harm; a row is otherwise sent exactly once (the
relay locks the rows it sends, and a concurrent relay skips them).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from safetyportal.core.models import OutboxTask

logger = logging.getLogger(__name__)

# rows sent per transaction: a long outage leaves a few hundred rows, not millions
RELAY_BATCH = 200
# sent rows are kept this long (what was relayed, when), then pruned by the periodic relay
KEEP_SENT = datetime.timedelta(days=7)

# set when this process stored a row: its next successful enqueue relays (no query otherwise)
_stored_since_relay = False


def store(task_name: str, args: Sequence[Any], kwargs: dict[str, Any], error: Exception) -> None:
    """Keep one task for the relay (called after the commit, outside any transaction)."""
    global _stored_since_relay
    OutboxTask.objects.create(
        task=task_name, args=list(args), kwargs=dict(kwargs), error=str(error)[:300]
    )
    _stored_since_relay = True


def relay_if_stored() -> None:
    """After a successful enqueue: relay what this process stored while the broker was down."""
    global _stored_since_relay
    if not _stored_since_relay:
        return
    _stored_since_relay = False
    try:
        relay()
    except Exception:
        _stored_since_relay = True
        logger.exception("the task outbox could not be relayed")


def relay() -> int:
    """Send the unsent rows, oldest first; stop at the first refusal. Returns how many
    were sent. One transaction per batch; each sent row is marked in one UPDATE."""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.filter(sent_at__isnull=True)
                .order_by("pk")
                .select_for_update(skip_locked=True)[:RELAY_BATCH]
            )
            if not rows:
                return sent
            done: list[int] = []
            refused = False
            for row in rows:
                task = current_app.tasks.get(row.task)
                try:
                    if task is None:  # a task renamed since: send by name all the same
                        current_app.send_task(row.task, args=row.args, kwargs=row.kwargs)
                    else:
                        task.apply_async(args=row.args, kwargs=row.kwargs)
                except Exception:
                    logger.exception("the outbox relay could not reach the broker")
                    refused = True
                    break
                done.append(row.pk)
            OutboxTask.objects.filter(pk__in=done).update(sent_at=timezone.now())
        sent += len(done)
        if refused or len(rows) < RELAY_BATCH:
            return sent


def prune() -> int:
    deleted, _ = OutboxTask.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    return deleted
