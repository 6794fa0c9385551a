"""Inspections (安全生产法 Art. 68 records): who inspected which enterprise when, against
which checklist, what they found; each finding can become a hazard in the ledger, and the
inspection can lead to a case. A joint inspection is one record with several units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class Answer(models.TextChoices):
    YES = "yes", _("符合")
    NO = "no", _("不符合")
    NA = "na", _("不适用")


TRANSITIONS = {
    # step -> (source states, target state)
    "submit": ((InspectionStatus.DRAFT,), InspectionStatus.SUBMITTED),
}


class ChecklistTemplate(models.Model):
    """A checklist per industry (None: any industry), versioned: an inspection keeps the
    version it was answered against."""

    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_templates",
    )
    title = models.CharField(_("名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行版本"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["industry_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["industry", "version"], name="checklist_industry_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("检查内容"), max_length=300)
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="checklist_item_order")
        ]

    def __str__(self) -> str:
        return self.text


class InspectionQuerySet(models.QuerySet):
    # installed by EnforcementConfig.ready from enforcement.permissions
    scope = None

    def visible_to(self, user) -> InspectionQuerySet:
        return self.filter(type(self).scope(user))


class Inspection(models.Model):
    unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("检查单位"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    joint_units = models.ManyToManyField(
        "responsibilities.Organisation",
        verbose_name=_("联合检查单位"),
        related_name="joint_inspections",
        blank=True,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("被检查单位"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    # where the enterprise was when inspected (a later move does not hand the record over)
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所在镇街"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan_target = models.ForeignKey(
        "enforcement.PlanTarget",
        verbose_name=_("计划检查对象"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
    )
    inspected_on = models.DateField(_("检查日期"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="inspections"
    )
    checklist = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("检查表"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    summary = models.TextField(_("检查情况"), blank=True)
    acknowledged_by = models.CharField(_("被检查单位负责人签字"), max_length=50, blank=True)
    refused_to_sign = models.BooleanField(_("拒绝签字"), default=False)
    # kept by the services so the 只检查不执法 view is an index scan, not a join per row
    finding_count = models.PositiveIntegerField(_("发现问题数"), default=0)
    followed_up = models.BooleanField(_("已跟进（转隐患或立案）"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法检查")
        verbose_name_plural = _("执法检查")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["-inspected_on", "-id"], name="inspection_date"),
            models.Index(fields=["unit", "-inspected_on", "-id"], name="inspection_unit_date"),
            models.Index(fields=["town", "-inspected_on", "-id"], name="inspection_town_date"),
            models.Index(fields=["enterprise", "-inspected_on"], name="inspection_enterprise"),
            # 只检查不执法: submitted inspections with findings and no follow-up, per unit
            models.Index(
                fields=["unit", "-inspected_on", "-id"],
                name="inspection_unfollowed",
                condition=models.Q(finding_count__gt=0, followed_up=False, status="submitted"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.inspected_on}"

    @property
    def is_draft(self) -> bool:
        return self.status == InspectionStatus.DRAFT

    def submit(self) -> None:
        """draft -> submitted (no I/O: the service checks the officers and saves)."""
        self.status = TRANSITIONS["submit"][1]


class Finding(models.Model):
    """One problem found; `hazard` is set when it became a hazard in the ledger."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("检查")
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("问题描述"))
    location = models.CharField(_("部位"), max_length=200, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("转为隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_finding",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class InspectionAnswer(models.Model):
    """The answer to one checklist item: yes / no / not applicable, with a note."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("检查结果"), max_length=3, choices=Answer.choices)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查表答案")
        verbose_name_plural = _("检查表答案")
        ordering = ["inspection_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_answer_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.answer}"


class FindingPhoto(models.Model):
    """A photo of a finding; served only through enforcement:inspection_photo (checked)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="inspections/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("问题照片")
        verbose_name_plural = _("问题照片")
        ordering = ["finding_id", "id"]

    def __str__(self) -> str:
        return self.original_name
