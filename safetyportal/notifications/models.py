from __future__ import annotations

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
