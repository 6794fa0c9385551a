"""责任及工作任务清单 (issue 11 item 1): each unit's yearly list of duties, with items
marked done against evidence. Links to records of higher apps are generic (ADR 0008)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


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


# the one transition: pending -> done
DUTY_ITEM_TRANSITIONS = {DutyItemStatus.PENDING: (DutyItemStatus.DONE,)}


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

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["duty_list", "order", "id"]
        indexes = [models.Index(fields=["duty_list", "status"], name="duty_item_list_status")]

    def __str__(self) -> str:
        return self.content[:40]
