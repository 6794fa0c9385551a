"""Production-safety accidents (生产安全事故): the report of 条例 Art. 12, its grade (Art. 3)
and lateness (Art. 9) kept on the row for the list's filters, 补报 of casualty changes
(Art. 13) with the figures before and after, and the investigation's steps (Art. 29, 32),
declared in enforcement/accidents/workflow.py. The limits are enforcement/accidents/rules.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.accidents import rules
from safetyportal.workflow.errors import StepNotAllowed


class AccidentGrade(models.TextChoices):
    GENERAL = rules.GENERAL, _("一般事故")
    LARGER = rules.LARGER, _("较大事故")
    MAJOR = rules.MAJOR, _("重大事故")
    ESPECIALLY_SERIOUS = rules.ESPECIALLY_SERIOUS, _("特别重大事故")


class AccidentKind(models.TextChoices):
    """What Art. 13 distinguishes: road traffic and fire accidents are 补报ed within 7 days."""

    PRODUCTION = "production", _("生产经营事故")
    ROAD = "road", _("道路交通事故")
    FIRE = "fire", _("火灾事故")


class InvestigationStatus(models.TextChoices):
    REPORTED = "reported", _("已报告")
    INVESTIGATING = "investigating", _("调查中")
    REPORT_SUBMITTED = "report_submitted", _("调查报告已提交")
    DECIDED = "decided", _("已批复")
    CLOSED = "closed", _("已结案")


S = InvestigationStatus
OPEN_STATUSES = (S.REPORTED, S.INVESTIGATING, S.REPORT_SUBMITTED)

# step -> (source states, target state or None: unchanged)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "investigate": ((S.REPORTED,), S.INVESTIGATING),
    "extend": ((S.INVESTIGATING,), None),
    "submit_report": ((S.INVESTIGATING,), S.REPORT_SUBMITTED),
    "decide": ((S.REPORT_SUBMITTED,), S.DECIDED),
    "close": ((S.DECIDED,), S.CLOSED),
    "supplement": (OPEN_STATUSES, None),
}


class AccidentQuerySet(models.QuerySet):
    scope: ClassVar = None  # installed by enforcement.permissions

    def visible_to(self, user) -> AccidentQuerySet:
        return self.filter(type(self).scope(user))

    def with_list_relations(self) -> AccidentQuerySet:
        return self.select_related("town", "unit", "enterprise", "industry")


class Accident(models.Model):
    unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("报告单位"),
        on_delete=models.PROTECT,
        related_name="accident_reports",
    )
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("事发镇街"),
        on_delete=models.PROTECT,
        related_name="accidents",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("事故单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accidents",
    )
    party_name = models.CharField(_("事故单位名称"), max_length=200)
    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accidents",
    )
    kind = models.CharField(
        _("事故类别"), max_length=20, choices=AccidentKind.choices, default=AccidentKind.PRODUCTION
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    reported_at = models.DateTimeField(_("报告县级部门时间"))
    place = models.CharField(_("发生地点"), max_length=200)
    course = models.TextField(_("事故简要经过"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数（含急性工业中毒）"), default=0)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0)
    direct_loss = models.DecimalField(
        _("直接经济损失（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    measures = models.TextField(_("已采取的措施"), blank=True)
    reported_by = models.CharField(_("报告人"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade = models.CharField(_("事故等级"), max_length=20, choices=AccidentGrade.choices)
    is_late = models.BooleanField(_("迟报"), default=False)
    # the investigation (Art. 25-32)
    status = models.CharField(
        _("调查处理状态"),
        max_length=20,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.REPORTED,
    )
    team = models.TextField(_("调查组组成"), blank=True)
    lead_unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    investigation_started_on = models.DateField(_("成立调查组日期"), null=True, blank=True)
    extension_days = models.PositiveIntegerField(_("延长天数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    report_submitted_on = models.DateField(_("调查报告提交日期"), null=True, blank=True)
    report_summary = models.TextField(_("调查报告要点"), blank=True)
    decided_on = models.DateField(_("批复日期"), null=True, blank=True)
    decision = models.TextField(_("批复意见"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # the list's default order, county-wide, and per town (scope column first)
            models.Index(fields=["-occurred_at", "-id"], name="accident_occurred_idx"),
            models.Index(fields=["town", "-occurred_at", "-id"], name="accident_town_idx"),
            models.Index(fields=["unit", "-occurred_at", "-id"], name="accident_unit_idx"),
            models.Index(fields=["enterprise", "-occurred_at"], name="accident_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="accident_reported_after_occurred",
                condition=models.Q(reported_at__gte=models.F("occurred_at")),
            ),
            models.CheckConstraint(
                name="accident_loss_not_negative", condition=models.Q(direct_loss__gte=0)
            ),
            models.CheckConstraint(
                name="accident_extension_at_most_60",
                condition=models.Q(extension_days__lte=rules.MAX_EXTENSION_DAYS),
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.occurred_at).strftime("%Y-%m-%d")
        return f"{when} {self.party_name}"

    def save(self, *args, **kwargs):
        self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "grade", "is_late"}
        super().save(*args, **kwargs)

    def refresh_derived(self) -> None:
        """The grade and the lateness, from the figures and the times (on every save)."""
        self.grade = rules.accident_grade(self.deaths, self.serious_injuries, self.direct_loss)
        self.is_late = rules.is_late_report(self.occurred_at, self.reported_at)

    # --- dates and deadlines -----------------------------------------------------------

    @property
    def occurred_on(self) -> datetime.date:
        return timezone.localtime(self.occurred_at).date()

    @property
    def is_road_or_fire(self) -> bool:
        return self.kind in (AccidentKind.ROAD, AccidentKind.FIRE)

    @property
    def supplement_deadline(self) -> datetime.date:
        return rules.supplement_deadline(self.occurred_on, self.is_road_or_fire)

    @property
    def report_due(self) -> datetime.date:
        return rules.report_due(self.occurred_on, self.extension_days)

    @property
    def report_overdue(self) -> bool:
        done = self.report_submitted_on
        return (done or timezone.localdate()) > self.report_due

    @property
    def decision_due(self) -> datetime.date | None:
        if self.report_submitted_on is None:
            return None
        return rules.decision_due(self.report_submitted_on, self.grade)

    @property
    def decision_overdue(self) -> bool:
        due = self.decision_due
        return due is not None and (self.decided_on or timezone.localdate()) > due

    @property
    def report_delay_minutes(self) -> int:
        return int((self.reported_at - self.occurred_at).total_seconds() // 60)

    # --- the state table: checks, no I/O ----------------------------------------------

    def move_refusal(self, step: str) -> str | None:
        sources, _target = TRANSITIONS[step]
        if self.status not in sources:
            return _("事故当前状态为“%(status)s”，不能执行此步骤。") % {
                "status": self.get_status_display()
            }
        return None

    def supplement_refusal(self, today: datetime.date | None = None) -> str | None:
        today = today or timezone.localdate()
        if today > self.supplement_deadline:
            return _(
                "补报期限已过：伤亡人数变化应在事故发生之日起 %(days)s 日内补报（截至 %(day)s）。"
            ) % {
                "days": rules.supplement_days(self.is_road_or_fire),
                "day": self.supplement_deadline.isoformat(),
            }
        return None

    def extension_refusal(self) -> str | None:
        if self.extension_days >= rules.MAX_EXTENSION_DAYS:
            return _("调查期限已延长 %(days)s 日，不能再延长。") % {
                "days": rules.MAX_EXTENSION_DAYS
            }
        return None

    def _move(self, step: str) -> None:
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        target = TRANSITIONS[step][1]
        if target is not None:
            self.status = target


class AccidentSupplement(models.Model):
    """One 补报 (Art. 13): the casualty figures and loss before and after, and the grade."""

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="supplements")
    recorded_at = models.DateTimeField(_("补报时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    old_deaths = models.PositiveIntegerField(_("原死亡人数"))
    new_deaths = models.PositiveIntegerField(_("现死亡人数"))
    old_serious_injuries = models.PositiveIntegerField(_("原重伤人数"))
    new_serious_injuries = models.PositiveIntegerField(_("现重伤人数"))
    old_missing = models.PositiveIntegerField(_("原失踪人数"))
    new_missing = models.PositiveIntegerField(_("现失踪人数"))
    old_direct_loss = models.DecimalField(_("原直接经济损失"), max_digits=14, decimal_places=2)
    new_direct_loss = models.DecimalField(_("现直接经济损失"), max_digits=14, decimal_places=2)
    old_grade = models.CharField(_("原等级"), max_length=20, choices=AccidentGrade.choices)
    new_grade = models.CharField(_("现等级"), max_length=20, choices=AccidentGrade.choices)
    note = models.TextField(_("补报说明"))

    class Meta:
        verbose_name = _("事故补报")
        verbose_name_plural = _("事故补报")
        ordering = ["accident_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.recorded_at:%Y-%m-%d}"
