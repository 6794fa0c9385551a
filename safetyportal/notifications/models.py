from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def awaiting_digest(self) -> NotificationQuerySet:
        return self.filter(emailed_at__isnull=True, email_skipped=False)


class Notification(models.Model):
    """A message to one user, shown in the portal and, per their preference, e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
        # no index of its own: notification_unread_idx and notification_once_per_key
        # lead with the recipient (one index fewer to write for each notice)
        db_index=False,
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # Senders pass a key naming the event ("hazard:12:overdue:town"), so a task that runs
    # twice (a worker restart, a retry) notifies nobody twice.
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_skipped = models.BooleanField(_("不发邮件"), default=False)
    # what the notice is about (a code declared in an app's notice_kinds.py, "" for other):
    # each person chooses which kinds reach them by e-mail (NotificationPreference)
    kind = models.CharField(_("类别"), max_length=40, blank=True, default="")
    # urgent (an overdue major hazard, an accident): e-mailed at once, whatever the
    # recipient's digest setting, and never held back by a muted kind (ADR 0034)
    urgent = models.BooleanField(_("紧急"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            # header badge and list: WHERE recipient_id = ? AND read_at IS NULL
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # daily digest: WHERE emailed_at IS NULL AND NOT email_skipped
            models.Index(
                fields=["recipient"],
                condition=Q(emailed_at__isnull=True, email_skipped=False),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


DEFAULT_DIGEST_TIME = datetime.time(7, 30)


class NotificationPreference(models.Model):
    """How one person wants to be told (ADR 0034). No row means the defaults: the daily
    digest at DEFAULT_DIGEST_TIME, every kind. The e-mail channel's mode (immediate, daily
    digest, off) stays on the user (User.email_frequency, also edited on the profile page);
    the in-portal list always receives every notice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    digest_time = models.TimeField(_("每日汇总时间"), default=DEFAULT_DIGEST_TIME)
    # kinds (codes) the person does not want by e-mail; urgent notices are always sent
    muted_kinds = models.JSONField(_("不接收邮件的通知类别"), default=list, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    # an SMS channel, when there is one, adds its value here and its digests count per day
    # in DigestDelivery like the e-mail's


class DigestDelivery(models.Model):
    """One person's digest on one channel on one day: the unique row is the claim that
    keeps it to one a day, however often and however concurrently the digest task runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint leads with the user
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    day = models.DateField(_("日期"))
    # the run that claimed the row (rows claimed by a concurrent run carry its token)
    run = models.UUIDField(_("发送批次"))
    notices = models.PositiveIntegerField(_("通知条数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("每日汇总发送记录")
        verbose_name_plural = _("每日汇总发送记录")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "day"], name="digest_once_a_day_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.channel} {self.day}"
