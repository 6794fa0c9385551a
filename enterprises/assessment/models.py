"""The seven-area self-assessment (mission.md §5): a versioned checklist template, the
enterprise's assessment per period, and its answers. Re-exported by enterprises/models.py.

A submitted assessment never changes when the template does: each answer carries a copy
of its item's text and points (see docs/decisions/0006).
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.registry.models import Enterprise


class Area(models.TextChoices):
    """The seven areas of the county report, section 三（三）."""

    RESPONSIBILITY = "responsibility", _("压实工作责任")
    ORGANISATION = "organisation", _("完善管理机构")
    RULES = "rules", _("健全制度体系")
    INVESTMENT = "investment", _("强化投入保障")
    TRAINING = "training", _("落实培训教育")
    RISK = "risk", _("夯实风险防控")
    EMERGENCY = "emergency", _("培强应急能力")


class AssessmentTemplateQuerySet(models.QuerySet):
    def get_by_natural_key(self, version):
        return self.get(version=version)

    def current(self) -> AssessmentTemplate | None:
        return self.filter(is_active=True).order_by("-version").first()


class AssessmentTemplate(models.Model):
    """One version of the checklist. The county office edits it in the admin; a new
    version is a new row."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    is_active = models.BooleanField(_("启用"), default=True)
    failed_item_percent = models.DecimalField(
        _("未达标项目线（%）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("项目得分低于标准分的该百分比即为未达标项目，可转为隐患。"),
    )

    objects = AssessmentTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("自评模板")
        verbose_name_plural = _("自评模板")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def natural_key(self) -> tuple[int]:
        return (self.version,)


class TemplateItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, version, code):
        return self.get(template__version=version, code=code)


class TemplateItem(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=10)
    area = models.CharField(_("领域"), max_length=20, choices=Area.choices)
    requirement = models.TextField(_("要求"))
    legal_basis = models.CharField(_("依据"), max_length=200)
    points = models.PositiveIntegerField(_("标准分"))
    evidence_hint = models.CharField(_("佐证材料"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = TemplateItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("自评项目")
        verbose_name_plural = _("自评项目")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="template_item_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.requirement[:30]}"

    def natural_key(self) -> tuple[int, str]:
        return (self.template.version, self.code)

    natural_key.dependencies = ["enterprises.assessmenttemplate"]


class AssessmentPeriod(models.Model):
    """An assessment round, yearly by default, with its due date."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    due_on = models.DateField(_("截止日期"))

    class Meta:
        verbose_name = _("自评周期")
        verbose_name_plural = _("自评周期")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度自评"

    @classmethod
    def default_due_on(cls, year: int) -> datetime.date:
        """The last day of SELF_ASSESSMENT_DUE_MONTH (November unless configured)."""
        month = min(settings.SELF_ASSESSMENT_DUE_MONTH, 12)
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class Grade(models.TextChoices):
    """The county's self-assessment grades. Deliberately not 一级/二级/三级, the names of the
    official 安全生产标准化 levels (GB/T 33000, graded by the authorities, domain-notes §5),
    so nobody reads a self-assessment as the official grading."""

    FIRST = "first", _("优")
    SECOND = "second", _("良")
    THIRD = "third", _("合格")
    FAIL = "fail", _("不合格")


# the grades a band can give, best first; a total below every band is 不合格
BANDED_GRADES = (Grade.FIRST, Grade.SECOND, Grade.THIRD)


class GradeBand(models.Model):
    """The lowest total of one grade. The figures are local and may change (domain-notes
    §5.2), so they are reference rows the county office edits in the admin, seeded by
    migration 0006 with 优 90 / 良 75 / 合格 60 (renamed from 一级/二级/三级 by 0008). A changed band grades assessments
    submitted or reviewed afterwards; stored grades stay as decided."""

    grade = models.CharField(
        _("等级"),
        max_length=10,
        choices=[(g.value, g.label) for g in BANDED_GRADES],
        unique=True,
    )
    min_score = models.DecimalField(
        _("最低分"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    name = models.CharField(
        _("名称"),
        max_length=20,
        blank=True,
        help_text=_("本县自评等级的名称（不使用安全生产标准化的一级、二级、三级）。"),
    )

    class Meta:
        verbose_name = _("自评等级分数线")
        verbose_name_plural = _("自评等级分数线")
        ordering = ["-min_score"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_score__gte=0) & models.Q(min_score__lte=100),
                name="grade_band_min_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.get_grade_display()} ≥ {self.min_score}"

    def clean(self) -> None:
        """A better grade needs a higher total than a worse one."""
        scores = {b.grade: b.min_score for b in GradeBand.objects.exclude(pk=self.pk)}
        if self.min_score is None:
            return
        scores[self.grade] = self.min_score
        ordered = [scores[g] for g in BANDED_GRADES if g in scores]
        if any(better <= worse for better, worse in zip(ordered, ordered[1:], strict=False)):
            raise ValidationError({"min_score": _("分数线应满足：优高于良，良高于合格。")})


def band_for(total: Decimal) -> GradeBand | None:
    """The GradeBand a 100-point total reaches (one query); None below every band."""
    for band in GradeBand.objects.order_by("-min_score"):
        if total >= band.min_score:
            return band
    return None


def grade_for(total: Decimal) -> str:
    """The grade of a 100-point total by the GradeBand rows (one query)."""
    band = band_for(total)
    return band.grade if band else Grade.FAIL


class SelfAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> SelfAssessmentQuerySet:
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))

    def with_list_relations(self) -> SelfAssessmentQuerySet:
        return self.select_related("enterprise", "enterprise__town", "period", "template")

    def fully_loaded(self) -> SelfAssessmentQuerySet:
        """What the detail page and the rules read, in the same one query."""
        return self.select_related(
            "enterprise", "enterprise__town", "enterprise__industry", "period", "template"
        )

    def submitted(self) -> SelfAssessmentQuerySet:
        return self.filter(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED])


class SelfAssessment(models.Model):
    # the workflow's steps (enterprises/assessment/workflow.py): step -> (from, to); None:
    # the state stays (saving a draft)
    TRANSITIONS = {
        "save": ((AssessmentStatus.DRAFT, AssessmentStatus.RETURNED), None),
        "submit": ((AssessmentStatus.DRAFT, AssessmentStatus.RETURNED), AssessmentStatus.SUBMITTED),
        "accept": ((AssessmentStatus.SUBMITTED,), AssessmentStatus.ACCEPTED),
        "return": ((AssessmentStatus.SUBMITTED,), AssessmentStatus.RETURNED),
    }

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    period = models.ForeignKey(
        AssessmentPeriod,
        verbose_name=_("周期"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    template = models.ForeignKey(
        AssessmentTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices, blank=True)
    grade_name = models.CharField(_("等级名称"), max_length=20, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全生产自评")
        verbose_name_plural = _("安全生产自评")
        # newest first, in an index's order (docs/decisions/0015): the year and the
        # enterprise's name live in other tables, so an order by them sorted the whole
        # scope (107,000 rows at a city's scale) to show 25
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"], name="self_assessment_one_per_period"
            ),
        ]
        indexes = [
            # the reviewer's queue and the not-submitted list: WHERE period_id = ? AND status
            models.Index(fields=["period", "status"], name="assessment_period_status_idx"),
            # the list in its order, the scope's and the status filter's columns at hand
            models.Index(
                fields=["-created_at", "-id"],
                include=["enterprise", "status"],
                name="assessment_created_id_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)

    def state_refusal(self, step: str) -> str | None:
        """Why the assessment's state does not allow `step` now (None: it does)."""
        if self.status in self.TRANSITIONS[step][0]:
            return None
        if step in ("save", "submit"):
            return _("该自评已提交，不能再修改；如需更正请联系审核单位退回。")
        return _("只有待审核的自评可以审核。")

    def take_step(self, step: str) -> None:
        """Move to the state `step` leads to (no I/O; the service checked the state)."""
        reason = self.state_refusal(step)
        if reason is not None:
            raise ValueError(str(reason))  # a programming error: services check first
        target = self.TRANSITIONS[step][1]
        if target is not None:
            self.status = target

    def compute_result(self, answers) -> None:
        """Set total (normalised to 100, not-applicable items left out) and grade. When
        the applicable items carry too small a share of the template's points, the grade
        is 不合格 whatever the total (see `applicable_share`)."""
        answers = list(answers)
        earned = Decimal(0)
        possible = Decimal(0)
        for answer in answers:
            if answer.not_applicable:
                continue
            possible += answer.points
            earned += answer.effective_score or 0
        total = (earned / possible * 100).quantize(Decimal("0.1")) if possible else Decimal(0)
        self.total = total
        band = None if too_few_applicable(answers) else band_for(total)
        self.grade = band.grade if band else Grade.FAIL
        # the band's name as the county office set it, kept as decided
        self.grade_name = (band.name if band else "") or str(Grade(self.grade).label)

    @property
    def grade_display(self) -> str:
        """The grade's name as decided (older rows: the grade's label)."""
        return self.grade_name or self.get_grade_display()


def applicable_share(answers) -> Decimal:
    """The share of the assessment's points (its copied items) that are applicable."""
    answers = list(answers)
    everything = sum(a.points for a in answers)
    applicable = sum(a.points for a in answers if not a.not_applicable)
    return Decimal(applicable) / everything if everything else Decimal(0)


def too_few_applicable(answers) -> bool:
    """True when the items marked not applicable leave less than
    ASSESSMENT_MIN_APPLICABLE_SHARE of the points: no grade above 不合格 then."""
    return applicable_share(answers) < Decimal(str(settings.ASSESSMENT_MIN_APPLICABLE_SHARE))


def area_profile(answers) -> list[dict]:
    """Per-area earned and possible points, in the order of the seven areas."""
    rows = {
        area: {"area": area, "label": label, "earned": Decimal(0), "possible": 0}
        for area, label in Area.choices
    }
    for answer in answers:
        if answer.not_applicable:
            continue
        row = rows[answer.area]
        row["possible"] += answer.points
        row["earned"] += answer.effective_score or 0
    for row in rows.values():
        row["percent"] = round(row["earned"] / row["possible"] * 100) if row["possible"] else None
    return list(rows.values())


def evidence_upload_path(instance, filename: str) -> str:
    return f"enterprises/assessments/{instance.answer.assessment_id}/{filename}"


class AssessmentAnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentAnswerQuerySet:
        """Answers of the assessments `user` may see (they follow their enterprise)."""
        return self.filter(
            assessment__enterprise__in=Enterprise.objects.visible_to(user).values("pk")
        )

    def fully_loaded(self) -> AssessmentAnswerQuerySet:
        return self.select_related(
            "assessment",
            "assessment__enterprise",
            "assessment__enterprise__town",
            "assessment__enterprise__industry",
            "assessment__period",
            "assessment__template",
        )


class AssessmentAnswer(models.Model):
    """One item of one assessment, with a copy of the item as it was when started."""

    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="answers"
    )
    code = models.CharField(_("编号"), max_length=10)
    area = models.CharField(_("领域"), max_length=20, choices=Area.choices)
    requirement = models.TextField(_("要求"))
    legal_basis = models.CharField(_("依据"), max_length=200)
    points = models.PositiveIntegerField(_("标准分"))
    evidence_hint = models.CharField(_("佐证材料"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    score = models.DecimalField(
        _("自评得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("不适用"), default=False)
    note = models.TextField(_("说明"), blank=True)
    reviewed_score = models.DecimalField(
        _("审核得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    adjust_reason = models.CharField(_("调整理由"), max_length=200, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("转为隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_answers",
    )

    objects = AssessmentAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("自评项目得分")
        verbose_name_plural = _("自评项目得分")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="answer_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.requirement[:30]}"

    @property
    def effective_score(self) -> Decimal | None:
        return self.reviewed_score if self.reviewed_score is not None else self.score

    @property
    def is_failed(self) -> bool:
        """Less than the template's failed-item line (60 % of its points unless the county
        office changed it): the item a reviewer may turn into a hazard."""
        score = self.effective_score
        if self.not_applicable or score is None:
            return False
        return score * 100 < self.points * self.assessment.template.failed_item_percent


class AnswerEvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnswerEvidenceQuerySet:
        """Evidence files of the assessments `user` may see."""
        return self.filter(
            answer__assessment__enterprise__in=Enterprise.objects.visible_to(user).values("pk")
        )

    def fully_loaded(self) -> AnswerEvidenceQuerySet:
        return self.select_related("answer", "answer__assessment", "answer__assessment__enterprise")


class AnswerEvidence(models.Model):
    answer = models.ForeignKey(
        AssessmentAnswer, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("佐证文件"), upload_to=evidence_upload_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    objects = AnswerEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
