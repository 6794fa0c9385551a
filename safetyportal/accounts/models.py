from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The six roles of mission.md §1. A user holds exactly one."""

    COUNTY_OFFICE = "county_office", _("县安委办")
    LEADER = "leader", _("县级领导")
    DEPARTMENT = "department", _("行业监管部门")
    TOWN = "town", _("镇街")
    ENTERPRISE = "enterprise", _("企业")
    EXPERT = "expert", _("专家")


# Roles that see every record of the county (leaders read-only).
COUNTYWIDE_ROLES = frozenset({Role.COUNTY_OFFICE, Role.LEADER})
# Roles whose user must belong to an organisation of the given kinds.
ORGANISATION_KINDS_FOR_ROLE: dict[str, set[str]] = {
    Role.COUNTY_OFFICE: {"office"},
    Role.DEPARTMENT: {"department"},
    Role.TOWN: {"town", "subdistrict"},
}


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("每条通知即时发送")
    DAILY_DIGEST = "daily", _("每日汇总一次")
    NEVER = "never", _("不发送邮件")


class User(AbstractUser):
    """A portal user: one role, placed in an organisation or an enterprise as the role needs.

    The organisation and enterprise are foreign keys (not guardian grants) because every
    list in the portal is scoped by them in SQL; see docs/decisions/0001.
    """

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    email_frequency = models.CharField(
        _("邮件通知"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.DAILY_DIGEST,
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="user_enterprise_only_for_enterprise_role",
                condition=models.Q(enterprise__isnull=True) | models.Q(role="enterprise"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        validate_placement(self.role, self.organisation, self.enterprise)

    @property
    def sees_whole_county(self) -> bool:
        return self.is_active and (self.is_superuser or self.role in COUNTYWIDE_ROLES)

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.LEADER

    @property
    def may_use_admin(self) -> bool:
        return may_use_admin(self)

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @property
    def place_label(self) -> str:
        """Where the user sits, for the header: '小渡口镇' or the enterprise's name."""
        if self.enterprise_id:
            return str(self.enterprise)
        if self.organisation_id:
            return str(self.organisation)
        return ""


def may_use_admin(user) -> bool:
    """The admin (参考数据维护) is the county office's tool: active, staff, and a superuser
    or of the county office's role; a staff flag set by mistake opens nothing (ADR 0045)."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "role", "") == Role.COUNTY_OFFICE)
    )


def validate_placement(role: str, organisation, enterprise) -> None:
    """Raise ValidationError when the role's placement rule is broken."""
    if role == Role.ENTERPRISE:
        if enterprise is None:
            raise ValidationError({"enterprise": _("企业用户必须指定所属企业。")})
        if organisation is not None:
            raise ValidationError({"organisation": _("企业用户不属于机关单位，请留空所属单位。")})
        return
    if enterprise is not None:
        raise ValidationError({"enterprise": _("只有企业用户可以指定所属企业。")})
    kinds = ORGANISATION_KINDS_FOR_ROLE.get(role)
    if kinds is None:
        return
    if organisation is None:
        raise ValidationError({"organisation": _("该角色必须指定所属单位。")})
    if organisation.kind not in kinds:
        raise ValidationError(
            {"organisation": _("“%(org)s”不是该角色可以归属的单位类型。") % {"org": organisation}}
        )
