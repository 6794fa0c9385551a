"""Thin tasks: each takes primary keys, claims its work with a conditional UPDATE and is
safe to run twice (a worker restart or a redelivered message sends nothing again)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from safetyportal.accounts.models import EmailFrequency, User
from safetyportal.notifications.models import Notification


@shared_task
def send_notification_email(notification_id: int) -> bool:
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, email_skipped=False
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    send_mail(
        subject=f"[安全生产监管门户] {notification.title}",
        message=render_to_string(
            "notifications/email_single.txt",
            {"notification": notification, "base_url": settings.PORTAL_BASE_URL},
        ),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    return True


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    """The immediate e-mails of one `notify_bulk` call (one task, not one per notice);
    each send claims its row, so a redelivered or overlapping task sends nothing twice."""
    return sum(1 for pk in notification_ids if send_notification_email(pk))


@shared_task
def send_daily_digests() -> int:
    """One e-mail per user who chose the daily digest and has un-mailed notifications."""
    user_ids = (
        Notification.objects.awaiting_digest()
        .filter(recipient__email_frequency=EmailFrequency.DAILY_DIGEST, recipient__is_active=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        sent += send_digest_to_user(user_id)
    return sent


def send_digest_to_user(user_id: int) -> int:
    now = timezone.now()
    pending = Notification.objects.awaiting_digest().filter(recipient_id=user_id)
    ids = list(pending.values_list("pk", flat=True)[:200])
    # Claim exactly these rows; a concurrent run claims none of them.
    claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return 0
    user = User.objects.get(pk=user_id)
    notifications = list(
        Notification.objects.filter(pk__in=ids, emailed_at=now).order_by("created_at")
    )
    send_mail(
        subject=f"[安全生产监管门户] 今日通知汇总（{len(notifications)}条）",
        message=render_to_string(
            "notifications/email_digest.txt",
            {"user": user, "notifications": notifications, "base_url": settings.PORTAL_BASE_URL},
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return 1


# an immediate e-mail not sent after this long had its task lost (the broker was
# unreachable when it was queued): the sweep below sends it
UNSENT_EMAIL_GRACE = datetime.timedelta(minutes=10)


@shared_task
def send_unsent_emails() -> int:
    """Send the immediate e-mails whose task never ran; each send claims its row, so an
    e-mail whose task is merely late is still sent once."""
    cutoff = timezone.now() - UNSENT_EMAIL_GRACE
    ids = (
        Notification.objects.awaiting_digest()
        .filter(
            recipient__email_frequency=EmailFrequency.IMMEDIATE,
            recipient__is_active=True,
            created_at__lt=cutoff,
        )
        .values_list("pk", flat=True)[:500]
    )
    return sum(1 for pk in list(ids) if send_notification_email(pk))
