"""专委会 meetings (issue 11 item 3): a committee's 会商研判, regular and special meetings,
with the member units that attended, the minutes and the follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeMeetingKind(models.TextChoices):
    ANALYSIS = "analysis", _("会商研判")
    REGULAR = "regular", _("例会")
    SPECIAL = "special", _("专题会议")


class CommitteeMeeting(models.Model):
    committee = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("专委会"),
        on_delete=models.PROTECT,
        related_name="committee_meetings",
    )
    held_on = models.DateField(_("会议日期"))
    kind = models.CharField(_("会议类型"), max_length=10, choices=CommitteeMeetingKind.choices)
    topic = models.CharField(_("议题"), max_length=200)
    attendees = models.ManyToManyField(
        "responsibilities.Organisation",
        verbose_name=_("参会成员单位"),
        related_name="attended_committee_meetings",
        blank=True,
    )
    minutes = models.TextField(_("会议纪要"))
    decisions = models.TextField(_("议定事项及落实"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专委会会议")
        verbose_name_plural = _("专委会会议")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["committee", "-held_on"], name="committee_meeting_held_idx")
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.held_on} {self.topic}"
