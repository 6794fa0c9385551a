"""Sending Celery tasks after a commit without orphaning the record that waits for them.

`enqueue_on_commit(task, *args, on_unreachable=...)` is the one way to queue a task from
a service: it sends after the transaction commits (the worker must see the row), and when
the broker cannot be reached it logs the error and calls `on_unreachable(error)` instead
of raising into the request (which answered 500 and left an import job "pending" forever).
`on_unreachable` marks the record failed with a message the user sees, or is
`keep_for_retry`: the task is kept in the database outbox and sent once the broker is
back (safetyportal/core/outbox.py, ADR 0040); there is no third option.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from safetyportal.core import outbox

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, on_unreachable: Callable[[Exception], None], **kwargs):
    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception as error:  # kombu raises OperationalError, redis/OSError variants
            logger.exception(
                "could not queue %s%r: the task broker is unreachable", task.name, args
            )
            if on_unreachable is keep_for_retry:
                outbox.store(task.name, args, kwargs, error)
            else:
                on_unreachable(error)
            return
        outbox.relay_if_stored()

    transaction.on_commit(send)


def keep_for_retry(error: Exception) -> None:
    """`on_unreachable` for work that must not be lost: `enqueue_on_commit` stores the task
    in the outbox instead of calling this (it does nothing when called directly)."""
