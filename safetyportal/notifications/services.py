"""The one function other apps call to tell someone something: `notify`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from safetyportal.accounts.models import EmailFrequency
from safetyportal.core.queue import enqueue_on_commit, keep_for_retry
from safetyportal.notifications.models import Notification


def notify(
    *, recipient, title: str, body: str = "", url: str = "", dedupe_key: str = ""
) -> Notification | None:
    """Create an in-portal notification and schedule its e-mail per the user's preference.

    With a `dedupe_key`, a second call for the same recipient and key does nothing and
    returns None: reminders and escalations are sent once, however often a task runs.
    """
    if not recipient.is_active:
        return None
    skip_email = not recipient.email or recipient.email_frequency == EmailFrequency.NEVER
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                # one line: the title is the e-mail's subject, and a line break from user
                # input (a hazard's location) made send_mail raise BadHeaderError
                title=" ".join(title.split())[:200],
                body=body,
                url=url,
                dedupe_key=dedupe_key,
                email_skipped=skip_email,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if not skip_email and recipient.email_frequency == EmailFrequency.IMMEDIATE:
        from safetyportal.notifications.tasks import send_notification_email

        # unreachable broker: the e-mail stays unsent and send_unsent_emails retries it
        enqueue_on_commit(send_notification_email, notification.pk, on_unreachable=keep_for_retry)
    return notification


def notify_many(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", dedupe_key: str = ""
) -> int:
    """Notify each recipient (in bulk); returns how many new notifications were created."""
    return notify_bulk(
        Notice(recipient=recipient, title=title, body=body, url=url, dedupe_key=dedupe_key)
        for recipient in recipients
    )


# immediate e-mails queued per task by notify_bulk: a task stays well inside the worker's
# time limit, and thousands of notices queue tens of tasks, not thousands
EMAILS_PER_TASK = 100


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification to create with `notify_bulk` (the arguments of `notify`)."""

    recipient: Any  # an accounts.User
    title: str
    body: str = ""
    url: str = ""
    dedupe_key: str = ""


def notify_bulk(notices: Iterable[Notice], *, batch_size: int = 1000) -> int:
    """`notify` for many notices at once, in a constant number of queries: what a sweep
    over thousands of objects calls instead of `notify` per recipient. The same rules:
    inactive recipients get nothing; a (recipient, dedupe key) already notified (before,
    by a concurrent run, or twice in `notices`) gets nothing new; the e-mail follows each
    recipient's preference. The immediate e-mails of the whole call go in one task, queued
    after the commit (unreachable broker: send_unsent_emails sends them later).
    Call it inside the caller's transaction. Returns how many notifications were new.
    """
    wanted: list[Notice] = []
    seen: set[tuple[int, str]] = set()
    for notice in notices:
        if not notice.recipient.is_active:
            continue
        if notice.dedupe_key:
            pair = (notice.recipient.pk, notice.dedupe_key)
            if pair in seen:
                continue
            seen.add(pair)
        wanted.append(notice)
    if seen:
        # `.exclude(dedupe_key="")` repeats the unique index's condition, so PostgreSQL
        # can answer from notification_once_per_key whatever the number of keys
        already = set(
            Notification.objects.filter(
                recipient_id__in={pair[0] for pair in seen},
                dedupe_key__in={pair[1] for pair in seen},
            )
            .exclude(dedupe_key="")
            .values_list("recipient_id", "dedupe_key")
        )
        wanted = [
            notice
            for notice in wanted
            if not notice.dedupe_key or (notice.recipient.pk, notice.dedupe_key) not in already
        ]
    if not wanted:
        return 0
    rows = [
        Notification(
            recipient=notice.recipient,
            title=" ".join(notice.title.split())[:200],  # one line: it is the e-mail subject
            body=notice.body,
            url=notice.url,
            dedupe_key=notice.dedupe_key,
            email_skipped=(
                not notice.recipient.email
                or notice.recipient.email_frequency == EmailFrequency.NEVER
            ),
        )
        for notice in wanted
    ]
    keyed = [row for row in rows if row.dedupe_key]
    unkeyed = [row for row in rows if not row.dedupe_key]
    # a concurrent run may have inserted some of the keyed ones since the check above:
    # the unique constraint keeps its row and this insert skips it
    Notification.objects.bulk_create(keyed, batch_size=batch_size, ignore_conflicts=True)
    Notification.objects.bulk_create(unkeyed, batch_size=batch_size)
    immediate = [
        row
        for row in rows
        if not row.email_skipped and row.recipient.email_frequency == EmailFrequency.IMMEDIATE
    ]
    if immediate:
        ids = [row.pk for row in immediate if row.pk is not None]
        immediate_keyed = [row for row in immediate if row.dedupe_key]
        if immediate_keyed:
            # ignore_conflicts returns no ids: find the rows again (an older unsent row of
            # the same key is harmless: each e-mail claims its row before it is sent)
            pairs = {(row.recipient_id, row.dedupe_key) for row in immediate_keyed}
            ids += [
                pk
                for pk, recipient_id, key in Notification.objects.filter(
                    recipient_id__in={pair[0] for pair in pairs},
                    dedupe_key__in={pair[1] for pair in pairs},
                    emailed_at__isnull=True,
                    email_skipped=False,
                )
                .exclude(dedupe_key="")
                .values_list("pk", "recipient_id", "dedupe_key")
                if (recipient_id, key) in pairs
            ]
        from safetyportal.notifications.tasks import send_notification_emails

        ids.sort()
        for start in range(0, len(ids), EMAILS_PER_TASK):
            enqueue_on_commit(
                send_notification_emails,
                ids[start : start + EMAILS_PER_TASK],
                on_unreachable=keep_for_retry,
            )
    return len(rows)


def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; False if it is not theirs."""
    updated = (
        Notification.objects.for_user(user)
        .filter(pk=notification_id, read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    return bool(updated) or Notification.objects.for_user(user).filter(pk=notification_id).exists()


def mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def mark_handled(*, key_prefixes: Iterable[str]) -> int:
    """Mark read, for every recipient, the unread notifications whose dedupe key starts with
    one of `key_prefixes`: the work they asked for has been done (by anyone), so they no
    longer wait in 待阅通知. Returns how many were marked."""
    query = Q()
    for prefix in key_prefixes:
        if prefix:
            query |= Q(dedupe_key__startswith=prefix)
    if not query:
        return 0
    return Notification.objects.unread().filter(query).update(read_at=timezone.now())
