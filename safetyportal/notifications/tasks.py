"""Thin tasks: each takes primary keys, claims its work with a conditional UPDATE (or a
unique row) and is safe to run twice (a worker restart or a redelivered message sends
nothing again). The daily digest is set-based: one query finds the people whose digest
time has come, and each batch of them costs a fixed number of queries (ADR 0034)."""

from __future__ import annotations

import datetime
import uuid

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from safetyportal.accounts.models import EmailFrequency, User
from safetyportal.notifications.models import (
    DEFAULT_DIGEST_TIME,
    Channel,
    DigestDelivery,
    Notification,
    NotificationPreference,
)

SUBJECT_PREFIX = "[安全生产监管门户]"


def _muted(user_id: int, kind: str) -> bool:
    muted = (
        NotificationPreference.objects.filter(user_id=user_id)
        .values_list("muted_kinds", flat=True)
        .first()
    )
    return kind in (muted or ())


@shared_task(acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notice at once (an urgent one, or for someone who wants every e-mail at
    once). A muted kind is not e-mailed unless urgent. The claim makes it once."""
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, email_skipped=False
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notification.urgent and _muted(notification.recipient_id, notification.kind):
        Notification.objects.filter(pk=notification_id).update(email_skipped=True)
        return False
    prefix = f"{SUBJECT_PREFIX}【紧急】" if notification.urgent else SUBJECT_PREFIX
    send_mail(
        subject=f"{prefix} {notification.title}",
        message=render_to_string(
            "notifications/email_single.txt",
            {"notification": notification, "base_url": settings.PORTAL_BASE_URL},
        ),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    return True


@shared_task(acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """The immediate e-mails of one `notify_bulk` call (one task, not one per notice);
    each send claims its row, so a redelivered or overlapping task sends nothing twice."""
    return sum(1 for pk in notification_ids if send_notification_email(pk))


# people per batch: one transaction, one SMTP connection, a fixed number of queries
DIGEST_BATCH_SIZE = 500
# notices listed in one e-mail (the rest are counted: the portal lists them all)
DIGEST_LISTED = 50


def digest_due_user_ids(now: datetime.datetime) -> list[int]:
    """The people whose e-mail digest is due at `now`: the daily digest chosen, an e-mail
    address, un-mailed notices, their digest time passed today, and no digest yet today."""
    local = timezone.localtime(now)
    today, clock = local.date(), local.time()
    timed = Q(notification_preference__digest_time__lte=clock)
    if clock >= DEFAULT_DIGEST_TIME:
        timed |= Q(notification_preference__isnull=True)
    return list(
        User.objects.filter(is_active=True, email_frequency=EmailFrequency.DAILY_DIGEST)
        .exclude(email="")
        .filter(timed)
        .filter(
            Exists(
                Notification.objects.awaiting_digest().filter(
                    recipient=OuterRef("pk"), created_at__lte=now
                )
            )
        )
        .exclude(
            Exists(
                DigestDelivery.objects.filter(user=OuterRef("pk"), channel=Channel.EMAIL, day=today)
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _digest_batch(user_ids: list[int], *, now: datetime.datetime, today: datetime.date) -> int:
    """Claim today's digest of `user_ids` (a concurrent run claims none of theirs), mark
    their notices mailed, and send the e-mails, in one transaction: if sending fails the
    claims roll back and the next run sends them. Returns how many e-mails were sent."""
    run = uuid.uuid4()
    with transaction.atomic():
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(user_id=pk, channel=Channel.EMAIL, day=today, run=run, sent_at=now)
                for pk in user_ids
            ],
            ignore_conflicts=True,
        )
        claimed = set(
            DigestDelivery.objects.filter(
                user_id__in=user_ids, channel=Channel.EMAIL, day=today, run=run
            ).values_list("user_id", flat=True)
        )
        if not claimed:
            return 0
        pending = Notification.objects.awaiting_digest().filter(
            recipient_id__in=claimed, created_at__lte=now
        )
        rows = list(
            pending.order_by("recipient_id", "-urgent", "created_at", "id").values_list(
                "pk", "recipient_id", "title", "url", "kind", "urgent"
            )
        )
        muted = dict(
            NotificationPreference.objects.filter(user_id__in=claimed).values_list(
                "user_id", "muted_kinds"
            )
        )
        listed: dict[int, list[dict]] = {}
        skipped: list[int] = []
        mailed: list[int] = []
        for pk, recipient_id, title, url, kind, urgent in rows:
            if not urgent and kind in muted.get(recipient_id, ()):
                skipped.append(pk)
                continue
            mailed.append(pk)
            listed.setdefault(recipient_id, []).append(
                {"title": title, "url": url, "urgent": urgent}
            )
        Notification.objects.filter(pk__in=mailed).update(emailed_at=now)
        Notification.objects.filter(pk__in=skipped).update(email_skipped=True)
        # nothing left to send (every notice of a muted kind): the day's digest is not
        # used up, so a notice later today still goes in one
        DigestDelivery.objects.filter(run=run).exclude(user_id__in=listed).delete()
        deliveries = list(DigestDelivery.objects.filter(run=run))
        for delivery in deliveries:
            delivery.notices = len(listed[delivery.user_id])
        DigestDelivery.objects.bulk_update(deliveries, ["notices"])
        users = User.objects.in_bulk(list(listed))
        messages = []
        for user_id, notices in listed.items():
            user = users[user_id]
            messages.append(
                EmailMessage(
                    subject=f"{SUBJECT_PREFIX} 今日通知汇总（{len(notices)}条）",
                    body=render_to_string(
                        "notifications/email_digest.txt",
                        {
                            "user": user,
                            "notifications": notices[:DIGEST_LISTED],
                            "count": len(notices),
                            "more": max(0, len(notices) - DIGEST_LISTED),
                            "base_url": settings.PORTAL_BASE_URL,
                        },
                    ),
                    to=[user.email],
                )
            )
        if messages:
            get_connection().send_messages(messages)
    return len(messages)


@shared_task(acks_late=True)
def send_daily_digests(now: str | datetime.datetime | None = None) -> int:
    """Every few minutes: one e-mail a day to each person whose digest time has come, with
    the notices not yet e-mailed. Safe to run twice or concurrently (one DigestDelivery per
    person, channel and day). `now` (ISO, for tests and replays) defaults to the clock."""
    if isinstance(now, str):
        now = datetime.datetime.fromisoformat(now)
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    due = digest_due_user_ids(moment)
    sent = 0
    for start in range(0, len(due), DIGEST_BATCH_SIZE):
        sent += _digest_batch(due[start : start + DIGEST_BATCH_SIZE], now=moment, today=today)
    return sent


# an immediate e-mail not sent after this long had its task lost (the broker was
# unreachable when it was queued): the sweep below sends it
UNSENT_EMAIL_GRACE = datetime.timedelta(minutes=10)


@shared_task(acks_late=True)
def send_unsent_emails() -> int:
    """Send the immediate (and urgent) e-mails whose task never ran; each send claims its
    row, so an e-mail whose task is merely late is still sent once."""
    cutoff = timezone.now() - UNSENT_EMAIL_GRACE
    ids = (
        Notification.objects.awaiting_digest()
        .filter(recipient__is_active=True, created_at__lt=cutoff)
        .filter(Q(recipient__email_frequency=EmailFrequency.IMMEDIATE) | Q(urgent=True))
        .values_list("pk", flat=True)[:500]
    )
    return sum(1 for pk in list(ids) if send_notification_email(pk))
