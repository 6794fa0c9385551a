"""Statutory-duty records of an enterprise (domain-notes §7), each checked by a pure
function in enterprises/duties/compliance.py. Re-exported by enterprises/models.py."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.registry.models import Enterprise


class Status(models.TextChoices):
    PASS = "pass", _("合规")
    MISSING = "missing", _("缺失")
    EXPIRED = "expired", _("已过期")
    DUE_SOON = "due_soon", _("即将到期")
    SHORTFALL = "shortfall", _("提取不足")


class Check(models.TextChoices):
    STAFFING = "staffing", _("安全管理机构和人员")
    DOCUMENTS = "documents", _("责任制和基本制度")
    SAFETY_COST = "safety_cost", _("安全生产费用")
    INSURANCE = "insurance", _("安全生产责任保险")
    CERTIFICATES = "certificates", _("特种作业操作证")
    PLANS = "plans", _("应急预案")
    DRILLS = "drills", _("应急演练")
    TRAINING = "training", _("主要负责人和安全管理人员培训")


BADGE_CLASSES = {
    Status.PASS: "text-bg-success",
    Status.MISSING: "text-bg-danger",
    Status.EXPIRED: "text-bg-dark",
    Status.DUE_SOON: "text-bg-warning",
    Status.SHORTFALL: "text-bg-danger",
}


def duty_upload_path(instance, filename: str) -> str:
    # never served from MEDIA_URL: downloads go through an access-checked view
    return f"enterprises/{instance.enterprise_id}/duties/{filename}"


class InsuranceMandate(models.Model):
    """An industry whose units must buy 安全生产责任保险 (安全生产法 Art. 51). Reference data,
    kept here so the list can change without touching `responsibilities.Industry`."""

    industry = models.OneToOneField(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.CASCADE,
        related_name="insurance_mandate",
    )
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("安责险强制投保行业")
        verbose_name_plural = _("安责险强制投保行业")

    def __str__(self) -> str:
        return str(self.industry)


class SafetyCostObligation(models.Model):
    """An industry whose units must extract 安全生产费用 (财资〔2022〕136号 lists the
    industries; domain-notes §7.3). Reference data the county office keeps in the admin;
    an enterprise of any other industry is not asked for a record."""

    industry = models.OneToOneField(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.CASCADE,
        related_name="safety_cost_obligation",
    )
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    confirmed = models.BooleanField(
        _("已核实"), default=False, help_text=_("未核实的，由县应急管理局对照原文确认。")
    )

    class Meta:
        verbose_name = _("安全生产费用提取行业")
        verbose_name_plural = _("安全生产费用提取行业")

    def __str__(self) -> str:
        return str(self.industry)


class ProjectType(models.TextChoices):
    """建设工程施工 project types of the 2022 rate table (domain-notes §7.3)."""

    MINING = "mining", _("矿山工程")
    BUILDING = "building", _("铁路、房屋建筑、城市轨道交通工程")
    HYDRO_POWER = "hydro_power", _("水利水电、电力工程")
    INSTALLATION = "installation", _("冶炼、机电安装、化工石油、通信工程")
    MUNICIPAL = "municipal", _("市政公用、港口与航道、公路工程")


class SafetyCostRate(models.Model):
    """One line of an industry's extraction-rate table, with its version dates: either the
    rate of a project type (建设工程施工, on the project cost) or the rate of a band of the
    base (烟花爆竹, on last year's revenue, each band's rate on the part within it)."""

    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.CASCADE,
        related_name="safety_cost_rates",
    )
    project_type = models.CharField(
        _("工程类别"), max_length=20, choices=ProjectType.choices, blank=True
    )
    band_from = models.DecimalField(
        _("计提依据下限（万元）"), max_digits=14, decimal_places=2, default=0
    )
    band_to = models.DecimalField(
        _("计提依据上限（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("留空表示无上限。"),
    )
    rate_percent = models.DecimalField(_("提取比例（%）"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("施行日期"))
    valid_until = models.DateField(_("废止日期"), null=True, blank=True)
    legal_basis = models.CharField(_("依据"), max_length=200)
    confirmed = models.BooleanField(_("已核实"), default=False)

    class Meta:
        verbose_name = _("安全生产费用提取比例")
        verbose_name_plural = _("安全生产费用提取比例")
        ordering = ["industry", "-valid_from", "project_type", "band_from"]

    def __str__(self) -> str:
        return f"{self.industry} {self.get_project_type_display() or self.band_from} {self.rate_percent}%"

    def in_effect(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class DutyRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> DutyRecordQuerySet:
        """Records of the enterprises `user` may see (the records follow their enterprise)."""
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))

    def for_enterprise(self, enterprise) -> DutyRecordQuerySet:
        return self.filter(enterprise=enterprise)

    def with_enterprise(self) -> DutyRecordQuerySet:
        return self.select_related("enterprise", "enterprise__town", "enterprise__industry")


class CurrentDutyRecordManager(models.Manager.from_queryset(DutyRecordQuerySet)):
    """The records in force: a voided record is kept (ledger, ADR 0046) but read nowhere,
    neither in lists nor in the compliance checks (related managers and prefetches use
    this manager too)."""

    def get_queryset(self):
        return super().get_queryset().filter(voided_at__isnull=True)


class DutyRecord(models.Model):
    """Fields every duty record shares. A record entered by mistake is voided with a
    reason, never deleted (docs/decisions/0046)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("作废人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True, editable=False)

    objects = CurrentDutyRecordManager()
    all_objects = DutyRecordQuerySet.as_manager()  # voided records too (the history)

    class Meta:
        abstract = True


class SafetyStaffing(DutyRecord):
    """安全生产管理机构和人员 (Art. 24), one current record per enterprise."""

    has_safety_body = models.BooleanField(_("已设置安全生产管理机构"), default=False)
    body_name = models.CharField(_("机构名称"), max_length=100, blank=True)
    full_time_staff = models.PositiveIntegerField(_("专职安全管理人员数"), default=0)
    part_time_staff = models.PositiveIntegerField(_("兼职安全管理人员数"), default=0)
    safety_director = models.CharField(
        _("安全总监"), max_length=50, blank=True, help_text=_("选填：地方政策要求时填写。")
    )

    class Meta:
        verbose_name = _("安全管理机构和人员")
        verbose_name_plural = _("安全管理机构和人员")
        ordering = ["-created_at", "-id"]
        default_related_name = "staffing_records"

    def __str__(self) -> str:
        return f"{self.enterprise}：专职{self.full_time_staff}人，兼职{self.part_time_staff}人"


class DocumentKind(models.TextChoices):
    RESPONSIBILITY_SYSTEM = "responsibility_system", _("全员安全生产责任制")
    MEETINGS_AND_CHECKS = "meetings_checks", _("例会例检制度")
    TRAINING_RULES = "training_rules", _("安全教育培训制度")
    RESPONSIBILITY_ASSESSMENT = "responsibility_assessment", _("责任制考核制度")
    COMMITMENT = "commitment", _("安全生产承诺制度")


class DutyDocument(DutyRecord):
    """责任制 and the basic rules, each an uploaded document with its issue date."""

    kind = models.CharField(_("文件类别"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("文件名称"), max_length=200)
    issued_on = models.DateField(_("印发日期"))
    file = models.FileField(_("文件"), upload_to=duty_upload_path, max_length=255)

    class Meta:
        verbose_name = _("责任制和制度文件")
        verbose_name_plural = _("责任制和制度文件")
        ordering = ["kind", "-issued_on", "-id"]
        default_related_name = "duty_documents"

    def __str__(self) -> str:
        return self.title


class SafetyCost(DutyRecord):
    """安全生产费用 extracted and used in one year (财资〔2022〕136号)."""

    year = models.PositiveIntegerField(_("年度"))
    project_type = models.CharField(
        _("工程类别"),
        max_length=20,
        choices=ProjectType.choices,
        blank=True,
        help_text=_("建设工程施工企业填写，按工程类别确定提取比例。"),
    )
    base_amount = models.DecimalField(_("计提依据（万元）"), max_digits=14, decimal_places=2)
    rate_percent = models.DecimalField(_("提取比例（%）"), max_digits=5, decimal_places=2)
    extracted = models.DecimalField(_("已提取（万元）"), max_digits=14, decimal_places=2)
    used = models.DecimalField(_("已使用（万元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("安全生产费用")
        verbose_name_plural = _("安全生产费用")
        ordering = ["-year", "-id"]
        default_related_name = "safety_costs"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="safety_cost_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年安全生产费用"


class LiabilityInsurance(DutyRecord):
    """安全生产责任保险 policy (安全生产法 Art. 51)."""

    policy_number = models.CharField(_("保单号"), max_length=60)
    insurer = models.CharField(_("保险公司"), max_length=100)
    starts_on = models.DateField(_("保险起期"))
    ends_on = models.DateField(_("保险止期"))
    cover_per_person = models.DecimalField(
        _("每人死亡伤残限额（万元）"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("安全生产责任保险")
        verbose_name_plural = _("安全生产责任保险")
        ordering = ["-ends_on", "-id"]
        default_related_name = "insurance_policies"
        constraints = [
            models.CheckConstraint(
                name="insurance_period_ordered",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"


class OperationCategory(models.TextChoices):
    ELECTRICAL = "electrical", _("电工作业")
    WELDING = "welding", _("焊接与热切割作业")
    HEIGHT = "height", _("高处作业")
    REFRIGERATION = "refrigeration", _("制冷与空调作业")
    COAL_MINE = "coal_mine", _("煤矿安全作业")
    METAL_MINE = "metal_mine", _("金属非金属矿山安全作业")
    OIL_GAS = "oil_gas", _("石油天然气安全作业")
    METALLURGY = "metallurgy", _("冶金（有色）生产安全作业")
    HAZCHEM = "hazchem", _("危险化学品安全作业")
    FIREWORKS = "fireworks", _("烟花爆竹安全作业")
    OTHER = "other", _("其他特种作业")


class SpecialOperationCertificate(DutyRecord):
    """特种作业操作证 of one worker (安全生产法 Art. 30)."""

    worker_name = models.CharField(_("作业人员"), max_length=50)
    category = models.CharField(_("作业类别"), max_length=20, choices=OperationCategory.choices)
    number = models.CharField(_("证书编号"), max_length=60)
    expires_on = models.DateField(_("有效期至"))
    # 复审 (domain-notes §7.2): counted from the last review, before the first from issue
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    reviewed_on = models.DateField(
        _("最近复审日期"), null=True, blank=True, help_text=_("未复审过的留空，按发证日期计算。")
    )
    long_service = models.BooleanField(
        _("复审周期延长至6年"),
        default=False,
        help_text=_("连续从事本工种10年以上、严格遵守安全生产法律法规的，经原考核发证机关同意。"),
    )
    file = models.FileField(_("证书扫描件"), upload_to=duty_upload_path, max_length=255, blank=True)

    class Meta:
        verbose_name = _("特种作业操作证")
        verbose_name_plural = _("特种作业操作证")
        ordering = ["expires_on", "id"]
        default_related_name = "certificates"
        indexes = [
            # certificate-expiry follow-up: WHERE expires_on <= ? ORDER BY expires_on
            models.Index(fields=["expires_on"], name="certificate_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_name} {self.get_category_display()}"


class PlanKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合应急预案")
    SPECIAL = "special", _("专项应急预案")
    ON_SITE = "on_site", _("现场处置方案")


class EmergencyPlan(DutyRecord):
    """应急预案 with its filing (备案) date; evaluated every 3 years (总局令88号 Art. 35)."""

    kind = models.CharField(_("预案类别"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("预案名称"), max_length=200)
    filed_on = models.DateField(_("备案日期"))
    reviewed_on = models.DateField(
        _("最近评估日期"), null=True, blank=True, help_text=_("未评估过的留空，按备案日期计算。")
    )

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["kind", "-filed_on", "-id"]
        default_related_name = "emergency_plans"

    def __str__(self) -> str:
        return self.title


class EmergencyDrill(DutyRecord):
    """One drill of a plan type (综合/专项 at least yearly, 现场处置 every 6 months)."""

    plan_kind = models.CharField(_("演练预案类别"), max_length=20, choices=PlanKind.choices)
    held_on = models.DateField(_("演练日期"))
    summary = models.CharField(_("演练内容"), max_length=200)

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]
        default_related_name = "drills"

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_plan_kind_display()}演练"


class TraineeRole(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责人")
    SAFETY_MANAGER = "safety_manager", _("安全生产管理人员")


class TrainingRecord(DutyRecord):
    """Safety training of the principal and safety managers (Art. 27, 28): the file
    records time, content, participant and result; training is renewed every year."""

    trainee_role = models.CharField(_("人员类别"), max_length=20, choices=TraineeRole.choices)
    trainee_name = models.CharField(_("姓名"), max_length=50)
    trained_on = models.DateField(_("培训日期"))
    hours = models.PositiveIntegerField(_("学时"))
    content = models.CharField(_("培训内容"), max_length=200)
    passed = models.BooleanField(_("考核合格"), default=True)
    file = models.FileField(
        _("培训证书扫描件"), upload_to=duty_upload_path, max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("安全培训记录")
        verbose_name_plural = _("安全培训记录")
        ordering = ["-trained_on", "-id"]
        default_related_name = "training_records"

    def __str__(self) -> str:
        return f"{self.trainee_name} {self.trained_on}"


# the record types that carry a file (downloaded through enterprises:duty_file)
FILE_KINDS = ("documents", "certificates", "training")

# the record types by the slug URLs and the API use; their verbose names are the labels
DUTY_MODELS: dict[str, type[DutyRecord]] = {
    "staffing": SafetyStaffing,
    "documents": DutyDocument,
    "costs": SafetyCost,
    "insurance": LiabilityInsurance,
    "certificates": SpecialOperationCertificate,
    "plans": EmergencyPlan,
    "drills": EmergencyDrill,
    "training": TrainingRecord,
}


FAILING = ~models.Q(status=Status.PASS)


class ComplianceStatusQuerySet(models.QuerySet):
    def failing(self) -> ComplianceStatusQuerySet:
        return self.filter(FAILING)

    def due_for_recheck(self, today) -> ComplianceStatusQuerySet:
        """Rows whose result may have changed by the passage of time alone by `today`."""
        return self.filter(next_change_on__lte=today)


class ComplianceStatus(models.Model):
    """The stored result of one compliance check of one enterprise (ADR 0012): judged by
    enterprises/duties/compliance.py whenever a record, the registry entry or the
    reference data changes (enterprises/duties/judging.py), and again on `next_change_on`,
    the day the result can change by the passage of time alone (the nightly recheck).
    The enterprise's name, town and industry are copied here, kept by the same judging,
    so the follow-up list is one indexed query."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="compliance_statuses",
    )
    # not named `check`: that would hide Model.check(), Django's system checks
    duty = models.CharField(_("检查项"), max_length=20, choices=Check.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    message = models.TextField(_("问题"), blank=True)
    next_change_on = models.DateField(
        _("下次复核日期"),
        null=True,
        blank=True,
        help_text=_("到这一天，仅因时间推移结果就可能变化；为空表示只有记录变化才会改变结果。"),
    )
    checked_on = models.DateField(_("判定日期"))
    checked_at = models.DateTimeField(_("判定时间"), default=timezone.now)
    # copies of the enterprise's fields the follow-up list filters and sorts by
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所在镇街"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects = ComplianceStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("法定职责合规状态")
        verbose_name_plural = _("法定职责合规状态")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "duty"], name="compliance_status_one_per_check"
            ),
        ]
        indexes = [
            # the follow-up list of a countywide user: WHERE duty = ? AND status <> 'pass'
            # [AND status = ?] ORDER BY enterprise_name, enterprise_id
            models.Index(
                fields=["duty", "enterprise_name", "enterprise"],
                include=["status"],
                condition=FAILING,
                name="compliance_failing_idx",
            ),
            # ... of a town official (or any user filtering by town)
            models.Index(
                fields=["duty", "town", "enterprise_name", "enterprise"],
                include=["status"],
                condition=FAILING,
                name="compliance_failing_town_idx",
            ),
            # ... of a department: WHERE industry_id IN (...)
            models.Index(
                fields=["duty", "industry", "enterprise_name", "enterprise"],
                include=["status"],
                condition=FAILING,
                name="compliance_failing_ind_idx",
            ),
            # one status asked for: WHERE duty = ? AND status = ? ORDER BY enterprise_name
            models.Index(
                fields=["duty", "status", "enterprise_name", "enterprise"],
                condition=FAILING,
                name="compliance_status_idx",
            ),
            # the nightly recheck: WHERE next_change_on <= today
            models.Index(
                fields=["next_change_on"],
                condition=models.Q(next_change_on__isnull=False),
                name="compliance_next_change_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.get_duty_display()} {self.get_status_display()}"

    @property
    def badge_class(self) -> str:
        return BADGE_CLASSES[self.status]

    @property
    def status_label(self) -> str:
        return str(self.get_status_display())
