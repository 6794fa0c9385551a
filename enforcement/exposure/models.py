"""The public exposure board (曝光台): closed penalty cases the county office publishes.

An `ExposedCase` is a SNAPSHOT of exactly what the public may read, copied from the case
when it is published (enforcement/exposure/services.py). The public pages read this table
and nothing else, so no officer name, no case id and no field added to Case later can leak
through them. A withdrawn case keeps its row (who published it, when, and why it was
withdrawn) and disappears from the public pages at once.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.cases.models import PenaltyKind

PUBLIC = Q(withdrawn_at__isnull=True)


class ExposedCaseQuerySet(models.QuerySet):
    scope: ClassVar = None  # installed by enforcement.permissions.install_scopes

    def public(self) -> ExposedCaseQuerySet:
        """What the public page shows: published and not withdrawn."""
        return self.filter(PUBLIC)

    def visible_to(self, user) -> ExposedCaseQuerySet:
        return self.filter(type(self).scope(user))


class ExposedCase(models.Model):
    case = models.OneToOneField(
        "enforcement.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="exposure",
    )
    # --- the public snapshot ---
    party_name = models.CharField(_("当事人"), max_length=200)
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所在镇街"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    town_name = models.CharField(_("所在镇街"), max_length=100)
    item_name = models.CharField(_("违法行为"), max_length=300)
    facts_summary = models.CharField(_("违法事实摘要"), max_length=300)
    penalty_kind = models.CharField(_("处罚种类"), max_length=10, choices=PenaltyKind.choices)
    fine = models.DecimalField(
        _("罚款金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decision_number = models.CharField(_("决定书文号"), max_length=60)
    decided_on = models.DateField(_("决定日期"))
    authority = models.CharField(_("处罚机关"), max_length=300)
    # --- the record of publication (never public) ---
    published_at = models.DateTimeField(_("公开时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    objects = ExposedCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("曝光案件")
        verbose_name_plural = _("曝光案件")
        ordering = ["-decided_on", "-id"]
        indexes = [
            # the public list (newest decision first) and its town filter
            models.Index(
                fields=["-decided_on", "-id"], condition=PUBLIC, name="exposed_public_decided"
            ),
            models.Index(
                fields=["town", "-decided_on", "-id"],
                condition=PUBLIC,
                name="exposed_public_town",
            ),
            models.Index(fields=["-published_at", "-id"], name="exposed_published"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.party_name}"

    @property
    def is_public(self) -> bool:
        return self.withdrawn_at is None
