"""Annual inspection plans broken down by quarter and month (分季到月): each target is an
enterprise to inspect in a month by an assigned official (分片包保 / 重点包保). An
inspection that names the target fulfils it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionPlan(models.Model):
    """A unit's (department's or town's) plan for one year."""

    unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("制定单位"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法检查计划")
        verbose_name_plural = _("执法检查计划")
        ordering = ["-year", "unit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="inspection_plan_unit_year")
        ]

    def __str__(self) -> str:
        return self.title


class TargetKind(models.TextChoices):
    AREA = "area", _("分片包保")
    KEY = "key", _("重点包保")


class PlanTarget(models.Model):
    """One planned inspection: an enterprise, in a month, by an assigned official."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="targets"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("检查对象"),
        on_delete=models.PROTECT,
        related_name="plan_targets",
    )
    month = models.PositiveSmallIntegerField(_("计划月份"))
    kind = models.CharField(
        _("包保方式"), max_length=10, choices=TargetKind.choices, default=TargetKind.AREA
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包保人员"),
        on_delete=models.PROTECT,
        related_name="plan_targets",
    )
    # the first inspection that fulfils the target, kept here so progress is a count, not
    # a join (set by the inspection service)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("计划检查对象")
        verbose_name_plural = _("计划检查对象")
        ordering = ["month", "id"]
        indexes = [
            models.Index(fields=["plan", "month", "id"], name="plan_target_plan_month"),
            models.Index(fields=["assigned_to", "month"], name="plan_target_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.month}: {self.enterprise_id}"

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1
