"""The risk register (双重预防): risk points of enterprises scored with LEC (D = L x E x C)
and the colour bands of the D score. Same app (hazards) and tables as before."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --- risk register (双重预防) -------------------------------------------------------------

LIKELIHOOD_CHOICES = [
    (Decimal("10"), _("10 完全可以预料")),
    (Decimal("6"), _("6 相当可能")),
    (Decimal("3"), _("3 可能，但不经常")),
    (Decimal("1"), _("1 可能性小，完全意外")),
    (Decimal("0.5"), _("0.5 很不可能，可以设想")),
    (Decimal("0.2"), _("0.2 极不可能")),
    (Decimal("0.1"), _("0.1 实际不可能")),
]
EXPOSURE_CHOICES = [
    (Decimal("10"), _("10 连续暴露")),
    (Decimal("6"), _("6 每天工作时间内暴露")),
    (Decimal("3"), _("3 每周一次或偶然暴露")),
    (Decimal("2"), _("2 每月一次暴露")),
    (Decimal("1"), _("1 每年几次暴露")),
    (Decimal("0.5"), _("0.5 非常罕见地暴露")),
]
CONSEQUENCE_CHOICES = [
    (Decimal("100"), _("100 大灾难，许多人死亡")),
    (Decimal("40"), _("40 灾难，数人死亡")),
    (Decimal("15"), _("15 非常严重，一人死亡")),
    (Decimal("7"), _("7 严重，重伤")),
    (Decimal("3"), _("3 重大，致残")),
    (Decimal("1"), _("1 引人注目，需要救护")),
]


class RiskBand(models.Model):
    """A colour level of the LEC D score; reference data editable in the admin.

    A point falls in the band with the highest `min_score` it reaches (D >= min_score,
    or D > min_score when `min_exclusive`).
    """

    code = models.CharField(_("代码"), max_length=10, unique=True)
    name = models.CharField(_("风险等级"), max_length=20)
    colour = models.CharField(_("颜色"), max_length=10)
    min_score = models.DecimalField(_("D 值下限"), max_digits=8, decimal_places=2)
    min_exclusive = models.BooleanField(_("不含下限"), default=False)

    class Meta:
        verbose_name = _("风险等级划分")
        verbose_name_plural = _("风险等级划分")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.colour}（{self.name}）"

    def contains(self, score: Decimal) -> bool:
        return score > self.min_score if self.min_exclusive else score >= self.min_score


def band_for(score: Decimal, bands: list[RiskBand]) -> RiskBand | None:
    """The band of `score` among `bands` (ordered by min_score descending)."""
    return next((band for band in bands if band.contains(score)), None)


class CheckFrequency(models.TextChoices):
    SHIFT = "shift", _("每班")
    DAILY = "daily", _("每天")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class RiskPointQuerySet(models.QuerySet):
    # who sees which points is decided in hazards/permissions.py (installed at app start)
    scope: ClassVar[Callable[[Any], Q]]

    def visible_to(self, user) -> RiskPointQuerySet:
        return self.filter(type(self).scope(user))


class RiskPoint(models.Model):
    """A risk point (风险点) of an enterprise, scored with LEC (D = L x E x C)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="risk_points",
    )
    name = models.CharField(_("场所或作业活动"), max_length=200)
    hazard_factors = models.TextField(_("危险有害因素"))
    likelihood = models.DecimalField(
        _("L 事故发生的可能性"), max_digits=4, decimal_places=1, choices=LIKELIHOOD_CHOICES
    )
    exposure = models.DecimalField(
        _("E 暴露于危险环境的频繁程度"), max_digits=4, decimal_places=1, choices=EXPOSURE_CHOICES
    )
    consequence = models.DecimalField(
        _("C 事故后果"), max_digits=4, decimal_places=1, choices=CONSEQUENCE_CHOICES
    )
    score = models.DecimalField(_("D 风险值"), max_digits=8, decimal_places=2, editable=False)
    control_measures = models.TextField(_("管控措施"))
    responsible_person = models.CharField(_("管控责任人"), max_length=50)
    check_frequency = models.CharField(_("排查频次"), max_length=10, choices=CheckFrequency.choices)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RiskPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["enterprise", "-score", "id"]
        indexes = [
            # the register in its order: each enterprise's points by score (the enterprises
            # walked by name, docs/decisions/0014)
            models.Index(fields=["enterprise", "-score", "id"], name="riskpoint_ent_score_id_idx"),
        ]
        constraints = [
            # D is always L x E x C (set by compute_score); a positive product
            models.CheckConstraint(name="risk_point_score_positive", condition=Q(score__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name

    def compute_score(self) -> None:
        self.score = (
            Decimal(self.likelihood) * Decimal(self.exposure) * Decimal(self.consequence)
        ).quantize(Decimal("0.01"))
