"""Administrative penalty cases under the simple procedure (当场处罚) and the general
procedure (立案 ... 结案), within a delegated item. The steps and their deadlines are
declared in enforcement/cases/workflow.py; the legal limits are enforcement/rules.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.authority.models import PartyKind, Procedure


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
        ]

    def __str__(self) -> str:
        return self.decision_number or f"{self.party_name} ({self.get_procedure_display()})"
