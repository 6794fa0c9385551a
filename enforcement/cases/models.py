"""Administrative penalty cases under the simple procedure (当场处罚) and the general
procedure (立案 ... 结案), within a delegated item. The steps and their deadlines are
declared in enforcement/cases/workflow.py; the legal limits are enforcement/rules.py."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.authority.models import PartyKind, Procedure
from safetyportal.workflow import StepNotAllowed


class CaseStatus(models.TextChoices):
    # simple procedure: decided on the spot, then closed (备案) once executed
    # general procedure: each step of 行政处罚法 Art. 54-72 in order
    FILED = "filed", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTIFIED = "notified", _("已告知")
    HEARING = "hearing", _("听证")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTED = "executed", _("已执行")
    CLOSED = "closed", _("已结案")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")


class FileStatus(models.TextChoices):
    NONE = "none", _("未生成")
    PENDING = "pending", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


S = CaseStatus
# step -> (source states, target state or None: unchanged). The general procedure in order;
# the simple procedure is created SERVED (decided and handed over on the spot) or CLOSED.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "evidence": ((S.FILED, S.INVESTIGATING), S.INVESTIGATING),
    "notify": ((S.INVESTIGATING,), S.NOTIFIED),
    "request_hearing": ((S.NOTIFIED,), S.HEARING),
    "schedule_hearing": ((S.HEARING,), None),
    "decide": ((S.NOTIFIED, S.HEARING), S.DECIDED),
    "serve": ((S.DECIDED,), S.SERVED),
    "pay": ((S.SERVED,), S.EXECUTED),
    "close": ((S.SERVED, S.EXECUTED), S.CLOSED),
}
OPEN_STATUSES = tuple(s for s in CaseStatus if s != CaseStatus.CLOSED)


class CaseQuerySet(models.QuerySet):
    # installed by EnforcementConfig.ready from enforcement.permissions
    scope = None

    def visible_to(self, user) -> CaseQuerySet:
        return self.filter(type(self).scope(user))


class Case(models.Model):
    unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("办案单位"),
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所在镇街"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.CharField(_("程序"), max_length=10, choices=Procedure.choices)
    item = models.ForeignKey(
        "enforcement.DelegatedItem",
        verbose_name=_("执法事项"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("当事企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
    )
    party_kind = models.CharField(_("当事人类型"), max_length=20, choices=PartyKind.choices)
    party_name = models.CharField(_("当事人"), max_length=200)
    inspection = models.ForeignKey(
        "enforcement.Inspection",
        verbose_name=_("来源检查"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), related_name="enforcement_cases"
    )
    facts = models.TextField(_("违法事实"))
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices)
    penalty_kind = models.CharField(
        _("处罚种类"), max_length=10, choices=PenaltyKind.choices, blank=True
    )
    fine = models.DecimalField(
        _("罚款金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # the steps of the general procedure, each dated (the simple procedure fills decided_on,
    # served_on and payment_due on the spot)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    late_penalty = models.DecimalField(
        _("加处罚款（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # the case file (案卷) PDF, rendered by enforcement.cases.tasks.render_case_file
    file_pdf = models.FileField(_("案卷 PDF"), upload_to="enforcement/cases/", blank=True)
    file_status = models.CharField(
        _("案卷生成状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.NONE
    )
    file_requested_at = models.DateTimeField(_("案卷申请时间"), null=True, blank=True)
    file_error = models.CharField(_("案卷生成错误"), max_length=300, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(fields=["unit", "-created_at", "-id"], name="case_unit_created"),
            models.Index(fields=["town", "-created_at", "-id"], name="case_town_created"),
            models.Index(fields=["enterprise", "decided_on"], name="case_enterprise_decided"),
            models.Index(
                fields=["status", "payment_due"],
                name="case_open_payment_due",
                condition=~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number or f"{self.party_name}（{self.get_procedure_display()}）"

    # --- state: checks and moves, no I/O ------------------------------------------------

    def move_refusal(self, step: str) -> str | None:
        sources, _target = TRANSITIONS[step]
        if self.procedure == Procedure.SIMPLE and step not in ("pay", "close"):
            return _("简易程序案件当场作出决定，没有“%(step)s”这一步。") % {
                "step": STEP_LABELS[step]
            }
        if self.status not in sources:
            return _("案件当前状态为“%(status)s”，不能执行“%(step)s”。") % {
                "status": self.get_status_display(),
                "step": STEP_LABELS[step],
            }
        if step == "pay" and self.penalty_kind != PenaltyKind.FINE:
            return _("警告处罚没有罚款需要缴纳。")
        if step == "close" and self.penalty_kind == PenaltyKind.FINE and self.paid_on is None:
            return _("罚款尚未缴纳，登记缴款（执行）后才能结案。")
        if step == "notify" and not self.has_evidence:
            return _("尚未登记证据，请先登记调查取证的证据再告知。")
        if step == "decide" and self.status == S.HEARING and self.hearing_on is None:
            return _("当事人已申请听证，请先安排听证再作出决定。")
        return None

    def move(self, step: str) -> None:
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        target = TRANSITIONS[step][1]
        if target is not None:
            self.status = target

    @property
    def has_evidence(self) -> bool:
        cached = getattr(self, "_evidence_count", None)
        if cached is not None:
            return cached > 0
        return self.evidence.exists()

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def deadlines(self, today: datetime.date) -> list[tuple[str, datetime.date, int, int]]:
        """The deadlines still ahead of this case: (label, last day, days left (negative
        when missed), days missed)."""
        from enforcement import rules

        rows: list[tuple[str, datetime.date]] = []
        if self.procedure == Procedure.GENERAL and self.filed_on and self.decided_on is None:
            rows.append((str(_("作出处罚决定")), rules.decision_due(self.filed_on)))
        if self.status == S.NOTIFIED and self.notified_on:
            rows.append(
                (
                    str(_("当事人申请听证")),
                    self.notified_on + datetime.timedelta(days=rules.HEARING_REQUEST_DAYS),
                )
            )
        if self.status == S.DECIDED and self.decided_on:
            rows.append(
                (
                    str(_("送达处罚决定书")),
                    self.decided_on + datetime.timedelta(days=rules.SERVICE_DAYS),
                )
            )
        if self.status == S.SERVED and self.payment_due and self.paid_on is None:
            rows.append((str(_("缴纳罚款")), self.payment_due))
        return [(label, day, (day - today).days, max((today - day).days, 0)) for label, day in rows]


STEP_LABELS = {
    "evidence": _("登记证据"),
    "notify": _("告知拟处罚及权利"),
    "request_hearing": _("登记听证申请"),
    "schedule_hearing": _("安排听证"),
    "decide": _("作出处罚决定"),
    "serve": _("送达决定书"),
    "pay": _("登记缴款"),
    "close": _("结案"),
}


class DocumentKind(models.TextChoices):
    FILING = "filing", _("立案审批表")
    NOTICE = "notice", _("行政处罚告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    DECISION = "decision", _("行政处罚决定书")
    SERVICE = "service", _("送达回执")
    CLOSING = "closing", _("结案审批表")
    SIMPLE_DECISION = "simple_decision", _("当场处罚决定书")


# the kind's short form in a document number (domain-notes §4.4: 澧应急简罚〔2026〕12号)
DOCUMENT_ABBR = {
    DocumentKind.FILING: "立",
    DocumentKind.NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听通",
    DocumentKind.DECISION: "罚决",
    DocumentKind.SERVICE: "送",
    DocumentKind.CLOSING: "结",
    DocumentKind.SIMPLE_DECISION: "简罚",
}


class CaseDocument(models.Model):
    """A numbered procedural document of a case, issued in the name of
    `rules.issuing_authority` (a town under delegation: the delegating department)."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="documents"
    )
    unit = models.ForeignKey(
        "responsibilities.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    label = models.CharField(_("文号"), max_length=80)
    issued_on = models.DateField(_("签发日期"))
    issuing_authority = models.CharField(_("签发机关"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["case_id", "issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "number"], name="case_document_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"


class EvidenceKind(models.TextChoices):
    # 行政处罚法 Art. 46: the eight kinds of evidence
    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    RECORD = "record", _("勘验笔录、现场笔录")


class Evidence(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("证据种类"), max_length=20, choices=EvidenceKind.choices)
    description = models.TextField(_("证据说明"))
    file = models.FileField(_("附件"), upload_to="enforcement/evidence/%Y/", blank=True)
    collected_on = models.DateField(_("取证日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["case_id", "collected_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:30]}"
