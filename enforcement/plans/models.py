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
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "enterprise", "month"], name="plan_target_once_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.month}: {self.enterprise_id}"

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1


class TownPairing(models.Model):
    """一对一包联: a section chief of the county bureau paired with a town for a year."""

    year = models.PositiveIntegerField(_("年度"))
    chief = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包联科室负责人"),
        on_delete=models.PROTECT,
        related_name="town_pairings",
    )
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("包联镇街"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一对一包联")
        verbose_name_plural = _("一对一包联")
        ordering = ["-year", "town__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "town"], name="town_pairing_year_town")
        ]
        indexes = [models.Index(fields=["chief", "year"], name="town_pairing_chief")]

    def __str__(self) -> str:
        return f"{self.year} {self.town_id}/{self.chief_id}"


class GuidanceVisit(models.Model):
    """One guidance visit of a chief to the paired town (包联指导记录)."""

    pairing = models.ForeignKey(
        TownPairing, verbose_name=_("包联"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("指导日期"))
    content = models.TextField(_("指导内容"))
    issues_found = models.TextField(_("发现问题"), blank=True)
    follow_up = models.TextField(_("跟踪落实"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("包联指导记录")
        verbose_name_plural = _("包联指导记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["pairing", "-visited_on", "-id"], name="guidance_visit_pairing")
        ]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.visited_on}"
