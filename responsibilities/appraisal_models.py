"""The year-end appraisal (述职评议/绩效考核; issue 11 item 5, ADR 0039).

A scheme per year lists the indicators (points, and for a computed one the rule that
scores it from the ledgers; responsibilities/appraisal_rules.py). A round per year holds
one result per appraised unit: towns are appraised by the county (安委会), committees by
the 安委会, departments by the committee they belong to. A result is computed by a Celery
task (status `computing`, with progress), then the unit sees its draft and comments on it
(self-report), the reviewer adjusts scores with reasons and submits, a leader approves,
and the county office publishes the round's approved results to the units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetyportal.workflow.errors import StepNotAllowed


class AppraisalScheme(models.Model):
    year = models.PositiveIntegerField(_("年度"), unique=True)
    title = models.CharField(_("方案名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    excellent_from = models.DecimalField(
        _("优秀分数线"), max_digits=5, decimal_places=2, default=Decimal(90)
    )
    pass_from = models.DecimalField(
        _("合格分数线"), max_digits=5, decimal_places=2, default=Decimal(70)
    )
    veto_cap = models.DecimalField(
        _("一票否决封顶分"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        help_text=_("触发一票否决的单位，总分不高于此分，等次为不合格。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def grade_for(self, total: Decimal, vetoed: bool) -> str:
        if vetoed or total < self.pass_from:
            return Grade.FAIL
        if total >= self.excellent_from:
            return Grade.EXCELLENT
        return Grade.PASS


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("数据计分")
    MANUAL = "manual", _("评议计分")
    VETO = "veto", _("一票否决")


class AppraisalIndicator(models.Model):
    scheme = models.ForeignKey(
        AppraisalScheme,
        verbose_name=_("考核方案"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标"), max_length=200)
    kind = models.CharField(_("计分方式"), max_length=10, choices=IndicatorKind.choices)
    rule = models.CharField(
        _("计分规则"),
        max_length=80,
        blank=True,
        help_text=_("数据计分和一票否决指标：从台账计算的规则；评议计分指标留空。"),
    )
    method = models.CharField(
        _("计分方法"),
        max_length=10,
        blank=True,
        help_text=_("留空按规则默认：按比例得分或逐项扣分。"),
    )
    points = models.DecimalField(
        _("分值"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    for_towns = models.BooleanField(_("适用镇街"), default=True)
    for_departments = models.BooleanField(_("适用部门"), default=True)
    for_committees = models.BooleanField(_("适用专委会"), default=False)
    description = models.TextField(_("评分标准"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="appraisal_indicator_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def applies_to(self, kind: str) -> bool:
        """Whether the indicator judges a unit of `kind` (an OrganisationKind value, compared
        by value: responsibilities.models re-exports this module, so it is not imported)."""
        if kind in ("town", "subdistrict"):
            return self.for_towns
        if kind == "department":
            return self.for_departments
        if kind == "committee":
            return self.for_committees
        return False


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    PUBLISHED = "published", _("已公布")


class AppraisalRound(models.Model):
    scheme = models.OneToOneField(
        AppraisalScheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="round"
    )
    year = models.PositiveIntegerField(_("年度"), unique=True)
    snapshot_date = models.DateField(
        _("数据截止日期"), help_text=_("只统计该日及以前的记录；重新计算结果不变。")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("启动时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s年度安全生产考核") % {"year": self.year}


class ResultStatus(models.TextChoices):
    COMPUTING = "computing", _("计算中")
    DRAFT = "draft", _("待单位确认")
    COMMENTED = "commented", _("单位已自评")
    REVIEWED = "reviewed", _("已评审待审定")
    APPROVED = "approved", _("已审定")
    PUBLISHED = "published", _("已公布")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


# step -> (source states, target state); "adjust" keeps the state
RESULT_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "comment": ((ResultStatus.DRAFT, ResultStatus.COMMENTED), ResultStatus.COMMENTED),
    "adjust": ((ResultStatus.DRAFT, ResultStatus.COMMENTED), None),
    "recompute": ((ResultStatus.DRAFT, ResultStatus.COMMENTED), ResultStatus.COMPUTING),
    "submit": ((ResultStatus.DRAFT, ResultStatus.COMMENTED), ResultStatus.REVIEWED),
    "approve": ((ResultStatus.REVIEWED,), ResultStatus.APPROVED),
    "send_back": ((ResultStatus.REVIEWED,), ResultStatus.COMMENTED),
    "publish": ((ResultStatus.APPROVED,), ResultStatus.PUBLISHED),
}


class AppraisalResultQuerySet(models.QuerySet):
    scope: ClassVar = None  # installed by responsibilities.permissions

    def visible_to(self, user) -> AppraisalResultQuerySet:
        return self.filter(type(self).scope(user))

    def with_list_relations(self) -> AppraisalResultQuerySet:
        return self.select_related("unit", "appraiser", "round")


class AppraisalResult(models.Model):
    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("年度考核"), on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("被考核单位"),
        on_delete=models.PROTECT,
        related_name="appraisal_results",
    )
    appraiser = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("考核单位"),
        on_delete=models.PROTECT,
        related_name="appraisals_made",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.COMPUTING
    )
    progress = models.PositiveSmallIntegerField(_("计算进度"), default=0)
    compute_error = models.CharField(max_length=300, blank=True)
    snapshot_date = models.DateField(_("数据截止日期"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    computed_total = models.DecimalField(
        _("计算得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    self_report = models.TextField(_("单位自评意见"), blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commented_at = models.DateTimeField(_("自评时间"), null=True, blank=True)
    review_note = models.TextField(_("评审意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)
    approval_note = models.TextField(_("审定意见"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = AppraisalResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["round", "unit__kind", "unit__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="appraisal_result_unit"),
        ]
        indexes = [
            models.Index(fields=["unit", "round"], name="appraisal_result_unit_idx"),
            models.Index(fields=["status"], name="appraisal_result_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit}"

    def move_refusal(self, step: str) -> str | None:
        sources, _target = RESULT_TRANSITIONS[step]
        if self.status not in sources:
            return _("考核结果当前状态为“%(status)s”，不能执行此步骤。") % {
                "status": self.get_status_display()
            }
        return None

    def _move(self, step: str) -> None:
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        target = RESULT_TRANSITIONS[step][1]
        if target is not None:
            self.status = target

    @property
    def is_computing(self) -> bool:
        return self.status == ResultStatus.COMPUTING


class IndicatorScore(models.Model):
    result = models.ForeignKey(
        AppraisalResult, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        AppraisalIndicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    counted = models.PositiveIntegerField(_("达标数"), default=0)
    base = models.PositiveIntegerField(_("应考核数"), default=0)
    computed_points = models.DecimalField(
        _("计算得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    explanation = models.CharField(_("计分说明"), max_length=300, blank=True)
    summary = models.CharField(_("统计说明"), max_length=300, blank=True)
    records_url = models.CharField(_("记录清单"), max_length=500, blank=True)
    vetoes = models.BooleanField(_("触发一票否决"), default=False)
    adjusted_points = models.DecimalField(
        _("评审得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    adjustment_reason = models.TextField(_("调整理由"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(_("调整时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["result", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="appraisal_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.indicator.code}"

    @property
    def points(self) -> Decimal | None:
        """The points that count: the reviewer's, else the computed ones."""
        return self.adjusted_points if self.adjusted_points is not None else self.computed_points

    @property
    def is_adjusted(self) -> bool:
        return self.adjusted_points is not None


class ScoreEvidence(models.Model):
    """A record behind a score: a deduction, or what triggered a veto. Written by the
    computation in one bulk insert, replaced when the result is recomputed."""

    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="evidence")
    position = models.PositiveIntegerField()
    label = models.CharField(_("记录"), max_length=300)
    note = models.CharField(_("扣分原因"), max_length=300, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("扣分依据")
        verbose_name_plural = _("扣分依据")
        ordering = ["score", "position"]
        indexes = [models.Index(fields=["score", "position"], name="appraisal_evidence_idx")]

    def __str__(self) -> str:
        return self.label
