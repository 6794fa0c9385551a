"""The one function other apps call to tell someone something: `notify`."""

from __future__ import annotations

from collections.abc import Iterable

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
    """Notify each recipient; returns how many new notifications were created."""
    return sum(
        1
        for recipient in recipients
        if notify(recipient=recipient, title=title, body=body, url=url, dedupe_key=dedupe_key)
    )


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
