"""The hazard ledger (隐患台账) and the 一单四制 records of major hazards.

States and their moves are in `TRANSITIONS`; the transition methods below check the move,
set the fields and do no I/O. Services (hazards/services.py) lock, audit and notify.
See docs/decisions/0005-hazard-workflow.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazards.risk_models import (
    CONSEQUENCE_CHOICES,
    EXPOSURE_CHOICES,
    LIKELIHOOD_CHOICES,
    CheckFrequency,
    RiskBand,
    RiskPoint,
    RiskPointQuerySet,
    band_for,
)
from responsibilities.models import TOWN_LEVEL_KINDS, OrganisationKind
from safetyportal.workflow import StepForbidden, StepNotAllowed

# re-exported: the error vocabulary lives in the workflow kit, the risk register in
# hazards/risk_models.py; older imports from here keep working
__all__ = [
    "CONSEQUENCE_CHOICES",
    "EXPOSURE_CHOICES",
    "LIKELIHOOD_CHOICES",
    "CheckFrequency",
    "RiskBand",
    "RiskPoint",
    "RiskPointQuerySet",
    "StepForbidden",
    "StepNotAllowed",
    "band_for",
]

# who may see which rows is decided in hazards/permissions.py, which installs the scopes
# below when the app is ready (permissions imports models, never the other way round)
Scope = Callable[[Any], Q]


class HazardSource(models.TextChoices):
    # the seven channels of domain-notes §1.1, plus the enterprise-side checks
    SELF_CHECK = "self_check", _("企业自查自报")
    MUTUAL_CHECK = "mutual_check", _("行业互查")
    EXPERT_CHECK = "expert_check", _("专家诊查")
    INSPECTION = "inspection", _("日常监督检查")
    PUBLIC_REPORT = "public_report", _("群众举报")
    MEDIA = "media", _("媒体曝光")
    REFERRAL = "referral", _("其他部门移送")
    ASSIGNED = "assigned", _("上级交办")
    LOWER_REPORT = "lower_report", _("下级部门报告")


class HazardClass(models.TextChoices):
    GENERAL = "general", _("一般")
    MAJOR = "major", _("重大")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("已发现")
    DETERMINED = "determined", _("已认定待交办")
    RECTIFYING = "rectifying", _("整改中")
    SUBMITTED = "submitted", _("待核查")
    CLOSED = "closed", _("已销号")
    VOIDED = "voided", _("已作废")


S = HazardStatus
OPEN_STATUSES = (S.REPORTED, S.DETERMINED, S.RECTIFYING, S.SUBMITTED)
# statuses in which the deadline runs against the responsible unit (escalation applies)
RUNNING_STATUSES = (S.REPORTED, S.DETERMINED, S.RECTIFYING)

# step -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "start": ((S.REPORTED,), S.RECTIFYING),
    "determine": ((S.REPORTED, S.RECTIFYING), S.DETERMINED),
    "assign": ((S.DETERMINED,), S.RECTIFYING),
    "progress": ((S.RECTIFYING,), None),
    "submit": ((S.RECTIFYING,), S.SUBMITTED),
    "verify_pass": ((S.SUBMITTED,), S.CLOSED),
    "verify_fail": ((S.SUBMITTED,), S.RECTIFYING),
    "request_extension": ((S.DETERMINED, S.RECTIFYING, S.SUBMITTED), None),
    "decide_extension": (OPEN_STATUSES, None),
    "void": (OPEN_STATUSES, S.VOIDED),
    # the responsible unit's 书面说明 to the assigning unit: after a failed verification,
    # or when a major hazard's deadline is missed
    "explain": ((S.DETERMINED, S.RECTIFYING, S.SUBMITTED), None),
    # 督办 by a leader or the county office on an overdue hazard
    "supervise": (RUNNING_STATUSES, None),
}

# Hazard.escalation_level, as the overdue list shows it
ESCALATION_LABELS = {
    0: _("未提醒"),
    1: _("已提醒企业"),
    2: _("已督办到镇街"),
    3: _("已督办到行业部门"),
    4: _("已督办到县安委办（拟约谈）"),
}


class HazardQuerySet(models.QuerySet):
    scope: ClassVar[Scope]  # installed by hazards.permissions

    def visible_to(self, user) -> HazardQuerySet:
        return self.filter(type(self).scope(user))

    def open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def major(self) -> HazardQuerySet:
        return self.filter(hazard_class=HazardClass.MAJOR)

    def overdue(self, today: datetime.date | None = None) -> HazardQuerySet:
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=today)

    def with_list_relations(self) -> HazardQuerySet:
        return self.select_related("enterprise", "town", "industry", "listing")


class Hazard(models.Model):
    """One hazard (事故隐患) of the ledger, general or major."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("隐患单位"),
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    # copied from the enterprise when found: the ledger keeps where the hazard was
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("镇街"),
        on_delete=models.PROTECT,
        related_name="hazards",
        limit_choices_to={"kind__in": TOWN_LEVEL_KINDS},
    )
    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    source = models.CharField(_("来源"), max_length=20, choices=HazardSource.choices)
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("隐患部位"), max_length=200)
    hazard_class = models.CharField(
        _("隐患等级"), max_length=10, choices=HazardClass.choices, default=HazardClass.GENERAL
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=HazardStatus.choices, default=HazardStatus.REPORTED
    )
    found_on = models.DateField(_("发现日期"), default=timezone.localdate)
    deadline = models.DateField(_("整改期限"))
    original_deadline = models.DateField(
        _("原定整改期限"), help_text=_("延期获批后，原期限仍保留在这里。")
    )
    responsible_person = models.CharField(_("整改责任人"), max_length=50)
    responsible_phone = models.CharField(_("责任人电话"), max_length=20, blank=True)
    rectification_note = models.TextField(_("整改情况"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # the last person who submitted rectification or applied to close: may not verify it
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("督办升级级别"), default=0)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-id"]
        # The ledger walks an index in its order and stops after the page
        # (docs/decisions/0014): one per scope, the id last (the pagination's tie-breaker).
        indexes = [
            # the county's ledger, and a department's (its scope's columns included: the
            # walk filters enterprise and status inside the index, without the table)
            models.Index(
                fields=["-found_on", "-id"],
                include=["enterprise", "status", "hazard_class"],
                name="hazard_found_id_idx",
            ),
            # a town's ledger: WHERE town_id = ? AND status <> 'voided' ORDER BY found_on DESC
            models.Index(
                fields=["town", "-found_on", "-id"],
                include=["status"],
                name="hazard_town_found_id_idx",
            ),
            # the major-hazard list (hazard_class = 'major') and the status/stage filters;
            # the scope's columns included: a department's count and walk read no heap
            models.Index(
                fields=["hazard_class", "-found_on", "-id"],
                include=["enterprise", "status"],
                name="hazard_class_found_incl_idx",
            ),
            models.Index(fields=["status", "-found_on", "-id"], name="hazard_status_found_id_idx"),
            # the list sorted by deadline (either way)
            models.Index(fields=["deadline", "id"], name="hazard_deadline_id_idx"),
            # escalation and overdue filters: WHERE status IN (...) AND deadline < today
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline_idx"),
            # an enterprise's hazards on its pages and the repeat-offender query
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status_idx"),
            # the home page's 隐患待办 figures (hazards/cards.py): one aggregate over the
            # open hazards in a scope (WHERE status IN open [AND town_id = ?]), read from
            # this index alone; closed hazards, nine in ten, are not in it
            models.Index(
                fields=["town", "status"],
                include=["deadline", "hazard_class", "enterprise", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="hazard_open_figures_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.enterprise_name_or_blank}{self.location}"

    @property
    def enterprise_name_or_blank(self) -> str:
        # __str__ must not query: use the enterprise only when already loaded
        cached = self._state.fields_cache.get("enterprise")
        return f"{cached.name} " if cached is not None else ""

    @property
    def code(self) -> str:
        return f"YH{self.found_on:%Y}-{self.pk or 0:06d}"

    @property
    def is_major(self) -> bool:
        return self.hazard_class == HazardClass.MAJOR

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())

    @property
    def days_overdue(self) -> int:
        """Days past the deadline today (0 when not overdue, or closed/voided)."""
        if not self.is_open:
            return 0
        return max(0, (timezone.localdate() - self.deadline).days)

    @property
    def escalation_label(self) -> str:
        return str(ESCALATION_LABELS.get(self.escalation_level, ""))

    @property
    def deadline_extended(self) -> bool:
        return self.deadline != self.original_deadline

    def can(self, step: str) -> bool:
        return self.move_refusal(step) is None

    def move_refusal(self, step: str) -> str | None:
        """Why the state table does not allow `step` now (None: it does). Start and
        determine are for general hazards: a major one is rectified under its slip."""
        sources, _target = TRANSITIONS[step]
        if self.status not in sources or (step in ("start", "determine") and self.is_major):
            return _("隐患当前状态为“%(status)s”，不能执行“%(step)s”。") % {
                "status": self.get_status_display(),
                "step": STEP_LABELS[step],
            }
        return None

    def _move(self, step: str) -> None:
        reason = self.move_refusal(step)
        if reason:
            raise StepNotAllowed(reason)
        target = TRANSITIONS[step][1]
        if target is not None:
            self.status = target

    # --- transitions: check, set fields, no I/O ---------------------------------------

    def start_rectification(self) -> None:
        self._move("start")

    def determine_major(self) -> None:
        self._move("determine")
        self.hazard_class = HazardClass.MAJOR

    def assign(self, *, deadline: datetime.date, responsible_person: str) -> None:
        self._move("assign")
        self.deadline = deadline
        self.original_deadline = deadline
        self.responsible_person = responsible_person
        self.escalation_level = 0

    def check_progress_allowed(self) -> None:
        self._move("progress")

    def submit_rectification(self, *, by, note: str) -> None:
        reason = self.submit_refusal()
        if reason:
            raise StepNotAllowed(reason)
        self._move("submit")
        self.submitted_by = by
        self.rectification_note = note

    def pass_verification(self, *, on: datetime.date) -> None:
        self._move("verify_pass")
        self.closed_on = on

    def fail_verification(self) -> None:
        self._move("verify_fail")

    def extension_request_refusal(self, today: datetime.date | None = None) -> str | None:
        """An extension is asked for before the deadline, one request at a time."""
        if (today or timezone.localdate()) > self.deadline:
            return _("延期申请须在整改期限（%(d)s）之前提出。") % {"d": self.deadline}
        if self.has_pending_extension:
            return _("已有一项延期申请待审批，请等待审批结果。")
        return None

    def check_extension_request(self, *, today: datetime.date) -> None:
        self._move("request_extension")
        reason = self.extension_request_refusal(today)
        if reason:
            raise StepNotAllowed(reason)

    def extend_deadline(self, new_deadline: datetime.date) -> None:
        self._move("decide_extension")
        self.deadline = new_deadline
        self.escalation_level = 0

    @property
    def has_pending_extension(self) -> bool:
        """Whether an extension request waits for a decision (uses prefetched rows)."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get("extensions")
        if cached is not None:
            return any(e.status == ExtensionStatus.PENDING for e in cached)
        return self.extensions.filter(status=ExtensionStatus.PENDING).exists()

    @property
    def has_slip(self) -> bool:
        return hasattr(self, "slip")

    @property
    def accepts_accountability(self) -> bool:
        return self.is_major and self.status != S.VOIDED

    def accountability_refusal(self) -> str | None:
        """问责 belongs to the 一单四制 of a live (or closed) major hazard."""
        if self.status == S.VOIDED:
            return _("该隐患已作废（误录），不能登记问责。")
        if not self.is_major:
            return _("问责只适用于重大事故隐患，一般隐患不能登记问责。")
        return None

    def check_accountability_allowed(self) -> None:
        reason = self.accountability_refusal()
        if reason:
            raise StepNotAllowed(reason)

    @property
    def has_progress(self) -> bool:
        """Whether the 台账 holds at least one progress entry (uses prefetched rows)."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get("progress_entries")
        if cached is not None:
            return bool(cached)
        return self.progress_entries.exists()

    def submit_refusal(self) -> str | None:
        """A major hazard's application to close (销号) follows its 交办 slip and at least
        one dated 台账 entry; the evidence file is checked with the input."""
        if self.is_major and not self.has_slip:
            return _("重大隐患须先交办，才能申请销号。")
        if self.is_major and not self.has_progress:
            return _("重大隐患须先在台账中登记至少一条整改进展，才能申请销号。")
        return None

    def void(self, *, reason: str) -> None:
        self._move("void")
        self.void_reason = reason

    def _latest_verification(self) -> Verification | None:
        cached = getattr(self, "_prefetched_objects_cache", {}).get("verifications")
        if cached is not None:
            rows = sorted(cached, key=lambda v: (v.verified_on, v.pk), reverse=True)
            return rows[0] if rows else None
        return self.verifications.order_by("-verified_on", "-id").first()

    def explanation_occasion(self) -> str | None:
        """Why the responsible unit owes a written explanation now (an ExplanationReason),
        or None: its last verification failed, or it is a major hazard past its deadline."""
        latest = self._latest_verification()
        if self.status == S.RECTIFYING and latest is not None and not latest.passed:
            return ExplanationReason.VERIFICATION_FAILED
        if self.is_major and self.is_overdue():
            return ExplanationReason.OVERDUE
        return None

    def explanation_refusal(self) -> str | None:
        if self.explanation_occasion() is None:
            return _("核查未通过或重大隐患逾期未完成整改时，才需向交办单位提交书面说明。")
        return None

    def supervision_refusal(self) -> str | None:
        """督办 is for a hazard whose deadline has passed."""
        if not self.is_overdue():
            return _("隐患尚未逾期（整改期限 %(d)s），不需督办。") % {"d": self.deadline}
        return None

    def check_explanation_allowed(self) -> str:
        self._move("explain")
        occasion = self.explanation_occasion()
        if occasion is None:
            raise StepNotAllowed(self.explanation_refusal())
        return occasion

    def check_supervision_allowed(self) -> None:
        self._move("supervise")
        reason = self.supervision_refusal()
        if reason:
            raise StepNotAllowed(reason)


STEP_LABELS = {
    "start": _("开始整改"),
    "determine": _("认定为重大隐患"),
    "assign": _("交办"),
    "progress": _("登记整改进展"),
    "submit": _("提交整改/申请销号"),
    "verify_pass": _("核查通过"),
    "verify_fail": _("核查不通过"),
    "request_extension": _("申请延期"),
    "decide_extension": _("审批延期"),
    "void": _("作废"),
    "explain": _("提交书面说明"),
    "supervise": _("督办"),
}


class ListLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class MajorHazardListing(models.Model):
    """A major hazard's entry on the list (一单), made by the determination (认定)."""

    hazard = models.OneToOneField(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="listing"
    )
    list_number = models.CharField(_("清单编号"), max_length=40, unique=True)
    level = models.CharField(
        _("清单层级"), max_length=10, choices=ListLevel.choices, default=ListLevel.COUNTY
    )
    determined_on = models.DateField(_("认定日期"))
    determination_basis = models.CharField(
        _("认定会议或文件"), max_length=200, help_text=_("如：县安委会2026年第3次专题会议纪要。")
    )
    criterion = models.CharField(_("判定依据"), max_length=200, blank=True)
    is_supervised = models.BooleanField(_("挂牌督办"), default=False)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    closing_opinion = models.TextField(_("销号意见"), blank=True)
    # when the entry was made (determined_on is the meeting's date and may be earlier):
    # a bulletin's "new" section is the entries made since the previous bulletin
    created_at = models.DateTimeField(_("列入清单时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("重大隐患清单")
        verbose_name_plural = _("重大隐患清单")
        ordering = ["-determined_on", "-id"]
        indexes = [
            # the list in its order, the hazard at hand: walked under a LIMIT, each hazard
            # then checked by its key against the caller's scope (docs/decisions/0014)
            models.Index(
                fields=["-determined_on", "-id"],
                include=["hazard"],
                name="listing_determined_id_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.list_number


class AssignmentSlip(models.Model):
    """The 交办单 with the 五落实 (责任、措施、资金、时限、预案)."""

    hazard = models.OneToOneField(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="slip"
    )
    slip_number = models.CharField(_("交办单号"), max_length=40, unique=True)
    responsible_unit = models.CharField(_("治理责任单位"), max_length=200)
    assigning_unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("交办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervising_unit = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("协调督办单位"),
        on_delete=models.PROTECT,
        related_name="supervised_slips",
        limit_choices_to={"kind": OrganisationKind.DEPARTMENT},
    )
    deadline = models.DateField(_("整改完成时限"))
    responsible_person = models.CharField(_("整改责任人"), max_length=50)
    measures = models.TextField(_("整改措施"))
    funds_amount = models.DecimalField(
        _("整改资金（万元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    funds_source = models.CharField(_("资金来源"), max_length=100)
    contingency_measures = models.TextField(_("应急预案及临时管控措施"))
    issued_on = models.DateField(_("交办日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("交办单")
        verbose_name_plural = _("交办单")

    def __str__(self) -> str:
        return self.slip_number


class ProgressEntry(models.Model):
    """A dated entry of the 台账: what was done, how far along."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="progress_entries"
    )
    entry_date = models.DateField(_("日期"))
    percent = models.PositiveSmallIntegerField(
        _("完成百分比"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("进展情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["-entry_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="progress_percent_0_100", condition=Q(percent__gte=0, percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_date} {self.percent}%"


class Verification(models.Model):
    """A verification (核查验收) of a submitted rectification or closure application."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="verifications"
    )
    passed = models.BooleanField(_("通过"))
    opinion = models.TextField(_("核查意见或书面说明"))
    verified_on = models.DateField(_("核查日期"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核查人"), on_delete=models.PROTECT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改提交人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        ordering = ["-verified_on", "-id"]

    def __str__(self) -> str:
        return f"{self.verified_on} {'通过' if self.passed else '不通过'}"


class ExplanationReason(models.TextChoices):
    VERIFICATION_FAILED = "verification_failed", _("核查未通过")
    OVERDUE = "overdue", _("逾期未完成整改")


class WrittenExplanation(models.Model):
    """书面说明: the responsible unit's own written explanation to the assigning unit, after
    a failed verification or when a major hazard's deadline is missed (domain-notes §1.3).
    The verifier's opinion is on the Verification; this is the unit's answer."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="explanations"
    )
    reason = models.CharField(_("事由"), max_length=20, choices=ExplanationReason.choices)
    text = models.TextField(_("书面说明"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("书面说明")
        verbose_name_plural = _("书面说明")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.submitted_at:%Y-%m-%d}"


class SupervisionOrder(models.Model):
    """督办: a leader or the county office presses the responsible unit on an overdue
    hazard (who, when, what was demanded), with the delay and ladder level at the time."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="supervisions"
    )
    demand = models.TextField(_("督办要求"))
    respond_by = models.DateField(_("限期答复"), null=True, blank=True)
    days_overdue = models.PositiveIntegerField(_("督办时逾期天数"))
    escalation_level = models.PositiveSmallIntegerField(_("督办时升级级别"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.PROTECT
    )
    issued_at = models.DateTimeField(_("督办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.issued_at:%Y-%m-%d} {self.demand[:20]}"


class EscalationGap(models.Model):
    """A level of the escalation ladder that reached nobody (an enterprise without an
    account, a department without users): the notice fell through to the next level, and
    the county office lists the gap to fix it."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="escalation_gaps"
    )
    level = models.PositiveSmallIntegerField(_("无人接收的级别"))
    deadline = models.DateField(_("整改期限"))
    delivered_to_level = models.PositiveSmallIntegerField(_("改送级别"), null=True)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办无人接收")
        verbose_name_plural = _("督办无人接收")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard", "level", "deadline"], name="escalation_gap_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} L{self.level}"

    @property
    def level_label(self) -> str:
        return str(GAP_LABELS.get(self.level, ""))

    @property
    def delivered_label(self) -> str:
        if self.delivered_to_level is None:
            return str(_("无人接收"))
        return str(ESCALATION_LABELS.get(self.delivered_to_level, ""))


GAP_LABELS = {
    1: _("企业（未开通账号或账号停用）"),
    2: _("镇街（无可用账号）"),
    3: _("行业监管部门（无可用账号）"),
    4: _("县安委办（无可用账号）"),
}


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    # closed without a decision: 交办 set a new deadline, or the hazard was closed or voided
    WITHDRAWN = "withdrawn", _("已撤回")


class DeadlineExtension(models.Model):
    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="extensions"
    )
    old_deadline = models.DateField(_("原期限"))
    requested_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("审批状态"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # one pending request per hazard at a time
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_hazard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_deadline} → {self.requested_deadline}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("隐患照片（整改前）")
    EVIDENCE = "evidence", _("整改证据（整改后）")
    PROGRESS = "progress", _("进展附件")
    VERIFICATION = "verify", _("现场核查照片")
    DOCUMENT = "document", _("文件")


class HazardAttachment(models.Model):
    """A photo or document; served only through hazards:attachment (access-checked)."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="attachments"
    )
    progress_entry = models.ForeignKey(
        ProgressEntry,
        verbose_name=_("整改进展"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to="hazards/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AccountabilityKind(models.TextChoices):
    INTERVIEW = "interview", _("约谈")
    CRITICISM = "criticism", _("通报批评")
    PENALTY = "penalty", _("行政处罚")
    CREDIT = "credit", _("纳入信用记录")


class AccountabilityRecord(models.Model):
    """问责: a measure taken against the unit concerned, linked to the hazard."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="accountability"
    )
    kind = models.CharField(_("问责方式"), max_length=10, choices=AccountabilityKind.choices)
    unit = models.CharField(_("被问责单位或人员"), max_length=200)
    decided_on = models.DateField(_("日期"))
    note = models.TextField(_("事由及结果"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"


class Bulletin(models.Model):
    """通报: a snapshot of the major-hazard list (new, overdue, closed since the last one)."""

    number = models.PositiveIntegerField(_("期号"), unique=True)
    period_start = models.DateTimeField(_("统计起点"), null=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    content = models.JSONField(_("内容"), default=dict)

    class Meta:
        verbose_name = _("重大隐患通报")
        verbose_name_plural = _("重大隐患通报")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"重大事故隐患治理情况通报（第{self.number}期）"
