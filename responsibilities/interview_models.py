"""约谈 records (domain-notes §4.7): the county office summons a unit or an enterprise over
an overdue hazard, an accident, an overdue duty item or a poor appraisal; the meeting's
minutes and commitments; the feedback, due within 5 working days (kept as 7 days).

The enterprise and the reason's record live in higher apps, so they are generic links
(ContentType + object id); this app never imports them (ADR 0008)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetyportal.workflow.errors import StepNotAllowed

FEEDBACK_DAYS = 7  # 5 working days, the local practice


class InterviewReason(models.TextChoices):
    HAZARD_OVERDUE = "hazard_overdue", _("隐患逾期未整改")
    ACCIDENT = "accident", _("发生生产安全事故")
    DUTY_OVERDUE = "duty_overdue", _("法定职责事项逾期")
    APPRAISAL = "appraisal", _("考核排名靠后")
    OTHER = "other", _("其他")


class InterviewStatus(models.TextChoices):
    DRAFT = "draft", _("拟约谈")
    HELD = "held", _("已约谈")
    CLOSED = "closed", _("已办结")


# step -> (source states, target state)
INTERVIEW_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "hold": ((InterviewStatus.DRAFT,), InterviewStatus.HELD),
    "close": ((InterviewStatus.HELD,), InterviewStatus.CLOSED),
}


def feedback_due_for(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=FEEDBACK_DAYS)


class InterviewQuerySet(models.QuerySet):
    scope: ClassVar = None  # installed by responsibilities.permissions

    def visible_to(self, user) -> InterviewQuerySet:
        return self.filter(type(self).scope(user))

    def with_list_relations(self) -> InterviewQuerySet:
        return self.select_related("summoning_unit", "summoned_unit")

    def feedback_overdue(self, today: datetime.date | None = None) -> InterviewQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=InterviewStatus.HELD, feedback_due__lt=today)


class Interview(models.Model):
    summoning_unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("约谈单位"),
        on_delete=models.PROTECT,
        related_name="interviews_held",
    )
    summoned_unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("被约谈单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews_received",
    )
    summoned_name = models.CharField(_("被约谈对象名称"), max_length=200)
    summoned_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summoned_id = models.PositiveBigIntegerField(null=True, blank=True)
    summoned_object = GenericForeignKey("summoned_type", "summoned_id")
    reason_kind = models.CharField(_("约谈事由"), max_length=20, choices=InterviewReason.choices)
    reason_text = models.TextField(_("事由说明"))
    reason_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_id = models.PositiveBigIntegerField(null=True, blank=True)
    reason_object = GenericForeignKey("reason_type", "reason_id")
    date = models.DateField(_("约谈日期"))
    participants = models.TextField(_("参加人员"), blank=True)
    minutes = models.TextField(_("约谈纪要"), blank=True)
    commitments = models.TextField(_("整改承诺"), blank=True)
    feedback_due = models.DateField(_("反馈期限"))
    feedback = models.TextField(_("整改反馈"), blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # what drafted it automatically (e.g. "hazard:12:escalation:4:2026-03-01"): unique, so a
    # sweep run twice drafts nothing new; blank for interviews entered by hand
    source_key = models.CharField(_("来源"), max_length=120, blank=True, editable=False)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["-date", "-id"], name="interview_date_idx"),
            models.Index(fields=["summoned_unit", "-date", "-id"], name="interview_unit_idx"),
            models.Index(fields=["status", "feedback_due"], name="interview_status_due_idx"),
            models.Index(fields=["summoned_type", "summoned_id"], name="interview_summoned_idx"),
            models.Index(fields=["reason_type", "reason_id"], name="interview_reason_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="interview_source_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.summoned_name}"

    @property
    def feedback_overdue(self) -> bool:
        return self.status == InterviewStatus.HELD and timezone.localdate() > self.feedback_due

    def move_refusal(self, step: str) -> str | None:
        sources, _target = INTERVIEW_TRANSITIONS[step]
        if self.status not in sources:
            return _("约谈当前状态为“%(status)s”，不能执行此步骤。") % {
                "status": self.get_status_display()
            }
        return None

    def _move(self, step: str) -> None:
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        self.status = INTERVIEW_TRANSITIONS[step][1]
