"""责任及工作任务清单 (issue 11 item 1): each unit's yearly list of duties, with items
marked done against evidence. Links to records of higher apps are generic (ADR 0008)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetyportal.workflow.errors import StepNotAllowed


class DutyList(models.Model):
    year = models.PositiveIntegerField(_("年度"))
    owner = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="duty_lists",
    )
    owner_person = models.CharField(_("责任人"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["-year", "owner__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "owner", "owner_person"], name="duty_list_unique_owner_year"
            )
        ]

    def __str__(self) -> str:
        who = f" {self.owner_person}" if self.owner_person else ""
        return f"{self.year} {self.owner}{who}"


class DutyItemStatus(models.TextChoices):
    PENDING = "pending", _("未完成")
    DONE = "done", _("已完成")


# step -> (source states, target state), read by the workflow kit (duty_workflow.py):
# the owner marks an item done with evidence; the county office (or the owner, to correct
# a mistake) reopens a done item with a reason
DUTY_ITEM_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "mark_done": ((DutyItemStatus.PENDING,), DutyItemStatus.DONE),
    "reopen": ((DutyItemStatus.DONE,), DutyItemStatus.PENDING),
}


class DutyItem(models.Model):
    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("责任清单"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    content = models.TextField(_("责任内容"))
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)
    frequency = models.CharField(_("频次"), max_length=50, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DutyItemStatus.choices, default=DutyItemStatus.PENDING
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence_note = models.TextField(_("完成情况说明"), blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to="duty/%Y/", blank=True)
    link_type = models.ForeignKey(
        ContentType,
        verbose_name=_("关联记录类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    link_id = models.PositiveBigIntegerField(_("关联记录"), null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")
    # evidence given as a link to a portal record (an inspection, a meeting): its page's path
    evidence_link = models.CharField(_("佐证记录链接"), max_length=300, blank=True)
    reopen_reason = models.TextField(_("退回原因"), blank=True)
    # the industry of the supervision map the item belongs to (监管责任图 per industry)
    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_items",
    )

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["duty_list", "order", "id"]
        indexes = [models.Index(fields=["duty_list", "status"], name="duty_item_list_status")]

    def __str__(self) -> str:
        return self.content[:40]

    def move_refusal(self, step: str) -> str | None:
        """Why the item's state does not allow `step` (None: it does), in Chinese."""
        sources, _target = DUTY_ITEM_TRANSITIONS[step]
        if self.status in sources:
            return None
        if step == "mark_done":
            return _("该事项已标记完成。")
        return _("该事项尚未完成，无需退回。")

    def move(self, step: str) -> None:
        """Set the state `step` leads to (no I/O; the service saves and audits)."""
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        self.status = DUTY_ITEM_TRANSITIONS[step][1]
