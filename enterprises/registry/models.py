"""The enterprise registry: one row per production or business unit, and the explicit
per-enterprise grants of experts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from enterprises.registry.scope import enterprise_scope
from enterprises.registry.uscc import normalise_uscc, validate_uscc
from responsibilities.models import (
    TOWN_LEVEL_KINDS,
    Industry,
    SupervisionAssignment,
    SupervisionMap,
)


def supervised_industries(current_map=None):
    """The industries (a values queryset of ids) that have a department in the current
    supervision map (`current_map` when the caller already has it); an enterprise in any
    other industry is 监管空白. No map published: no industry is supervised."""
    current = current_map or SupervisionMap.objects.current()
    if current is None:
        return Industry.objects.none().values("pk")
    return SupervisionAssignment.objects.filter(supervision_map=current).values("industry_id")


class EnterpriseScale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("在营")
    SUSPENDED = "suspended", _("停产整顿")
    CLOSED = "closed", _("关闭")


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnterpriseQuerySet:
        """The enterprises `user` may see, scoped in SQL (enterprises/registry/scope.py)."""
        return self.filter(enterprise_scope(user))

    def high_risk(self) -> EnterpriseQuerySet:
        return self.filter(is_high_risk=True)

    def in_town(self, town) -> EnterpriseQuerySet:
        return self.filter(town=town)

    def with_list_relations(self) -> EnterpriseQuerySet:
        return self.select_related("town", "industry")

    def with_duty_records(self) -> EnterpriseQuerySet:
        """Everything enterprises/duties/compliance.py reads, in a fixed number of queries."""
        return self.select_related("town", "industry").prefetch_related(
            "staffing_records",
            "duty_documents",
            "safety_costs",
            "insurance_policies",
            "certificates",
            "emergency_plans",
            "drills",
            "training_records",
        )


class Enterprise(models.Model):
    """A production or business unit (生产经营单位) in the county's registry."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所在镇街"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"kind__in": TOWN_LEVEL_KINDS},
    )
    industry = models.ForeignKey(
        "responsibilities.Industry",
        verbose_name=_("行业领域"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField(_("地址"), max_length=200)
    employee_count = models.PositiveIntegerField(_("从业人员数"))
    scale = models.CharField(
        _("规模"), max_length=10, choices=EnterpriseScale.choices, default=EnterpriseScale.SMALL
    )
    is_high_risk = models.BooleanField(_("高危企业"), default=False)
    status = models.CharField(
        _("经营状态"),
        max_length=12,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    principal_name = models.CharField(
        _("主要负责人"),
        max_length=50,
        help_text=_("安全生产第一责任人：法定代表人、实际控制人或其他主要决策人。"),
    )
    principal_phone = models.CharField(_("主要负责人电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [
            # the county's list in its order (ORDER BY name, id LIMIT 25 OFFSET k)
            models.Index(fields=["name", "id"], name="enterprise_name_id_idx"),
            # a town official's list: WHERE town_id = ? ORDER BY name, id
            models.Index(fields=["town", "name", "id"], name="enterprise_town_name_id_idx"),
            # a department's list: WHERE industry_id IN (...) ORDER BY name, id; and its
            # scope's enterprise ids (index-only) for the hazard ledger's semi-join
            models.Index(fields=["industry", "name", "id"], name="enterprise_ind_name_id_idx"),
            # counts by town or industry (the risk register's summary): the enterprises'
            # town and industry by id, index-only, for an aggregate that joins them
            models.Index(
                fields=["id"], include=["town", "industry"], name="enterprise_id_town_ind_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = normalise_uscc(self.uscc)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # normalise first, so the length and uniqueness checks see the code as stored
        self.uscc = normalise_uscc(self.uscc or "")
        super().clean_fields(exclude=exclude)


class EnterpriseUserObjectPermission(UserObjectPermissionBase):
    """Explicit per-enterprise grants (an expert's access) with a real foreign key, so
    PostgreSQL can use an index (guardian's generic table compares ids as text)."""

    content_object = models.ForeignKey(Enterprise, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("企业授权")
        verbose_name_plural = _("企业授权")
