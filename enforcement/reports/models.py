"""Whistleblower reports (有奖举报, 吹哨人; domain-notes §6): the public's report, followed by
its receipt code; the reporter's identity in a table of its own, encrypted (crypto.py,
ADR 0029); the handling steps (workflow.py) with their deadlines; the reward from the rules
(reference data); duplicates merged with every receipt kept working."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from safetyportal.workflow import StepNotAllowed


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    VERIFYING = "verifying", _("核查中")
    VERIFIED = "verified", _("已核查")
    CLOSED = "closed", _("已反馈")
    MERGED = "merged", _("已合并")


class ReportKind(models.TextChoices):
    HAZARD = "hazard", _("事故隐患")
    VIOLATION = "violation", _("安全生产违法行为")
    CONCEALED_ACCIDENT = "concealed_accident", _("瞒报、谎报事故")


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")


SUBSTANTIATED = (Outcome.SUBSTANTIATED, Outcome.PARTLY)

# what the reporter is told on the status page: the stage, never the internal state names
PUBLIC_STAGE = {
    ReportStatus.RECEIVED: _("已收到，等待受理"),
    ReportStatus.ACCEPTED: _("已受理，等待交办核查"),
    ReportStatus.REJECTED: _("不予受理"),
    ReportStatus.VERIFYING: _("正在核查"),
    ReportStatus.VERIFIED: _("核查完毕，等待反馈"),
    ReportStatus.CLOSED: _("已办结"),
}

S = ReportStatus
# step -> (source states, target state or None: unchanged)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": ((S.RECEIVED,), S.ACCEPTED),
    "reject": ((S.RECEIVED,), S.REJECTED),
    "assign": ((S.ACCEPTED, S.VERIFYING), S.VERIFYING),
    "extend": ((S.VERIFYING,), None),
    "verify": ((S.VERIFYING,), S.VERIFIED),
    "feedback": ((S.VERIFIED,), S.CLOSED),
    "merge": ((S.RECEIVED, S.ACCEPTED, S.VERIFYING), S.MERGED),
    "to_hazard": ((S.VERIFIED, S.CLOSED), None),
    "to_case": ((S.VERIFIED, S.CLOSED), None),
    "reward": ((S.VERIFIED, S.CLOSED), None),
    "approve_reward": ((S.VERIFIED, S.CLOSED), None),
    "pay_reward": ((S.VERIFIED, S.CLOSED), None),
}
OPEN_STATUSES = (S.RECEIVED, S.ACCEPTED, S.VERIFYING, S.VERIFIED)
STEP_LABELS = {
    "accept": _("受理"),
    "reject": _("不予受理"),
    "assign": _("交办核查"),
    "extend": _("延长核查期限"),
    "verify": _("登记核查结果"),
    "feedback": _("向举报人反馈"),
    "merge": _("合并为重复举报"),
    "to_hazard": _("转为隐患"),
    "to_case": _("转为行政处罚案件"),
    "reward": _("核算奖励"),
    "approve_reward": _("审批奖励"),
    "pay_reward": _("登记奖励发放"),
}


class ReportQuerySet(models.QuerySet):
    # installed by EnforcementConfig.ready from enforcement.reports.permissions
    scope = None

    def visible_to(self, user) -> ReportQuerySet:
        return self.filter(type(self).scope(user))


class Report(models.Model):
    # 16 characters of secrets.choice over an alphabet without look-alikes (services.py)
    receipt_code = models.CharField(_("查询码"), max_length=20, unique=True)
    kind = models.CharField(_("举报类型"), max_length=20, choices=ReportKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("被举报企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enterprise_name = models.CharField(_("被举报单位（举报人填写）"), max_length=200)
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所在镇街"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("举报内容"))
    happened_on = models.DateField(_("发生时间"), null=True, blank=True)
    is_anonymous = models.BooleanField(_("匿名举报"), default=True)
    # an employee of the reported enterprise (or family): 吹哨人, the reward uplift
    is_whistleblower = models.BooleanField(_("内部人员（吹哨人）"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=S.RECEIVED
    )
    # the handling unit: the county office until it assigns a department or a town
    unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="whistleblower_reports",
    )
    received_on = models.DateField(_("收到日期"))
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)
    accept_due = models.DateField(_("受理期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    verify_due = models.DateField(_("核查期限"), null=True, blank=True)
    extended_on = models.DateField(_("延期日期"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    verified_on = models.DateField(_("核查完成日期"), null=True, blank=True)
    outcome = models.CharField(_("核查结论"), max_length=20, choices=Outcome.choices, blank=True)
    # internal: never shown to the reporter
    findings = models.TextField(_("核查情况（内部）"), blank=True)
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback = models.TextField(_("给举报人的反馈"), blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("转成的隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "enforcement.Case",
        verbose_name=_("转成的案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-id"]
        permissions = [("reveal_reporter", _("查看举报人身份"))]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="report_received"),
            models.Index(fields=["unit", "-received_at", "-id"], name="report_unit_received"),
            models.Index(fields=["status", "-received_at", "-id"], name="report_status_received"),
            models.Index(fields=["unit", "accepted_on"], name="report_unit_accepted"),
            models.Index(fields=["enterprise", "status"], name="report_enterprise_status"),
            models.Index(
                fields=["status", "verify_due"],
                name="report_open_due",
                condition=Q(status__in=["received", "accepted", "verifying", "verified"]),
            ),
        ]

    def __str__(self) -> str:
        return f"举报 {self.pk}（{self.enterprise_name}）"

    # --- state: checks and moves, no I/O ------------------------------------------------

    @property
    def is_substantiated(self) -> bool:
        return self.outcome in SUBSTANTIATED

    def move_refusal(self, step: str) -> str | None:
        sources, _target = TRANSITIONS[step]
        if self.status not in sources:
            return _("举报当前状态为“%(status)s”，不能执行“%(step)s”。") % {
                "status": self.get_status_display(),
                "step": STEP_LABELS[step],
            }
        if step == "extend" and self.extended_on is not None:
            return _("核查期限只能延长一次，本举报已延长过。")
        rewarded = ("to_hazard", "to_case", "reward", "approve_reward", "pay_reward")
        if step in rewarded and not self.is_substantiated:
            return _("核查结论为属实或部分属实的举报才能%(step)s。") % {"step": STEP_LABELS[step]}
        if step in ("to_hazard", "to_case"):
            if self.hazard_id or self.case_id:
                return _("本举报已转为隐患或案件，不能重复转办。")
            if self.enterprise_id is None:
                return _("请先在核查结果中确定被举报企业，再转办。")
        reward = getattr(self, "reward", None) if step.endswith("reward") else None
        if step == "reward" and reward is not None and reward.status != RewardStatus.COMPUTED:
            return _("奖励已审批，不能重新核算。")
        if step == "approve_reward" and (reward is None or reward.status != RewardStatus.COMPUTED):
            return _("请先核算奖励，再审批。")
        if step == "pay_reward" and (reward is None or reward.status != RewardStatus.APPROVED):
            return _("奖励经县安委办审批后才能登记发放。")
        return None

    def move(self, step: str) -> None:
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        target = TRANSITIONS[step][1]
        if target is not None:
            self.status = target

    def public_stage(self) -> str:
        return str(PUBLIC_STAGE.get(self.status, ""))

    def deadline_rows(self, today: datetime.date) -> list[tuple[str, datetime.date, int]]:
        """The deadlines still ahead: (label, last day, days left; negative when missed)."""
        rows: list[tuple[str, datetime.date]] = []
        if self.status == S.RECEIVED:
            rows.append((str(_("受理")), self.accept_due))
        if self.status in (S.ACCEPTED, S.VERIFYING) and self.verify_due:
            rows.append((str(_("核查")), self.verify_due))
        if self.status == S.VERIFIED and self.feedback_due:
            rows.append((str(_("反馈")), self.feedback_due))
        return [(label, day, (day - today).days) for label, day in rows]


class ReporterIdentity(models.Model):
    """Who the reporter is, kept apart from the report (domain-notes §6.3): every value a
    Fernet token (crypto.encrypt), the phone also as a keyed hash for lookups. Read only by
    services.reveal_identity, which audits each read."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    name_token = models.TextField(blank=True)
    phone_token = models.TextField(blank=True)
    contact_token = models.TextField(blank=True)
    relation_token = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    TOKEN_FIELDS = ("name_token", "phone_token", "contact_token", "relation_token")

    class Meta:
        verbose_name = _("举报人身份（加密）")
        verbose_name_plural = _("举报人身份（加密）")

    def __str__(self) -> str:
        return f"举报 {self.report_id} 的举报人（加密）"


class ReportAttachment(models.Model):
    """A photo or PDF the reporter sent, re-encoded without its metadata (uploads.py)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/")
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("举报附件")
        verbose_name_plural = _("举报附件")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return f"举报 {self.report_id} 附件 {self.pk}"


class ReportUserObjectPermission(UserObjectPermissionBase):
    """Per-report grants of `reveal_reporter` (django-guardian, a real foreign key)."""

    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("举报授权")
        verbose_name_plural = _("举报授权")


class RevealGrant(models.Model):
    """A per-unit grant: `user` may reveal the reporter of any report the unit handles
    (the 最小范围 of domain-notes §6.3: named people, not a role)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "responsibilities.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("举报人身份查看授权（单位）")
        verbose_name_plural = _("举报人身份查看授权（单位）")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="report_reveal_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"


# --- rewards ------------------------------------------------------------------------------


class RewardBasis(models.TextChoices):
    FINE_SHARE = "fine_share", _("按罚没款比例")
    CONCEALED_DEATH = "concealed_death", _("瞒报谎报事故按死亡人数")
    WHISTLEBLOWER = "whistleblower", _("吹哨人上浮")


class RewardRule(models.Model):
    """Reference data (安监总财〔2018〕19号; the 吹哨人 uplift where the county adopts it):
    fine_share: `percent` of the fine within `floor` and `cap`; concealed_death: `per_death`
    for the accident's grade, up to `cap`; whistleblower: `percent` on top, up to `cap`."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    basis = models.CharField(_("计算方式"), max_length=20, choices=RewardBasis.choices)
    accident_grade = models.CharField(_("事故等级"), max_length=30, blank=True)
    percent = models.DecimalField(
        _("比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    per_death = models.DecimalField(
        _("每死亡一人（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floor = models.DecimalField(
        _("最低（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cap = models.DecimalField(_("最高（元）"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("施行"), default=True)

    class Meta:
        verbose_name = _("举报奖励标准")
        verbose_name_plural = _("举报奖励标准")
        ordering = ["basis", "code"]

    def __str__(self) -> str:
        return self.name


class RewardStatus(models.TextChoices):
    COMPUTED = "computed", _("已核算")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已发放")


class Reward(models.Model):
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="reward")
    basis = models.CharField(_("计算方式"), max_length=20, choices=RewardBasis.choices)
    fine = models.DecimalField(
        _("罚没款（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deaths = models.PositiveIntegerField(_("瞒报死亡人数"), null=True, blank=True)
    accident_grade = models.CharField(_("事故等级"), max_length=30, blank=True)
    base_amount = models.DecimalField(_("基础奖励（元）"), max_digits=12, decimal_places=2)
    uplift_amount = models.DecimalField(_("吹哨人上浮（元）"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=10, choices=RewardStatus.choices)
    computed_on = models.DateField(_("核算日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    payment_reference = models.CharField(_("发放凭证号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")
        indexes = [models.Index(fields=["status", "paid_on"], name="report_reward_paid")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.amount}"
