"""Sending Celery tasks after a commit without orphaning the record that waits for them.

`enqueue_on_commit(task, *args, on_unreachable=...)` is the one way to queue a task from
a service: it sends after the transaction commits (the worker must see the row), and when
the broker cannot be reached it logs the error and calls `on_unreachable(error)` instead
of raising into the request (which answered 500 and left an import job "pending" forever).
`on_unreachable` marks the record failed with a message the user sees, or leaves it in a
state a periodic task retries; there is no third option.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, on_unreachable: Callable[[Exception], None], **kwargs):
    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception as error:  # kombu raises OperationalError, redis/OSError variants
            logger.exception(
                "could not queue %s%r: the task broker is unreachable", task.name, args
            )
            on_unreachable(error)

    transaction.on_commit(send)


def keep_for_retry(error: Exception) -> None:
    """`on_unreachable` for work a periodic task picks up again (say so at the call)."""
