from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COUNTY = "county", _("县")
    SAFETY_COMMITTEE = "safety_committee", _("安委会")
    OFFICE = "office", _("安委办")
    COMMITTEE = "committee", _("专业委员会")
    DEPARTMENT = "department", _("部门")
    TOWN = "town", _("镇")
    SUBDISTRICT = "subdistrict", _("街道")


TOWN_LEVEL_KINDS = (OrganisationKind.TOWN, OrganisationKind.SUBDISTRICT)


class OrganisationQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        # fixtures refer to units by code, never by database id
        return self.get(code=code)

    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def towns(self) -> OrganisationQuerySet:
        """The 镇街 (towns and subdistricts)."""
        return self.filter(kind__in=TOWN_LEVEL_KINDS)

    def departments(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.DEPARTMENT)

    def committees(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.COMMITTEE)


class Organisation(models.Model):
    """A node of the county's organisation tree: the county, the 安委会 and its office,
    committees (专委会), departments, and the 19 镇街. Reference data from fixtures/."""

    code = models.CharField(
        _("代码"),
        max_length=20,
        unique=True,
        help_text=_("镇街用行政区划代码（如 430723102），其他单位用简写代码。"),
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    general_procedure_authorised = models.BooleanField(
        _("可适用一般程序"),
        default=False,
        help_text=_("镇街：是否受委托适用行政处罚一般程序（澧县为小渡口镇、城头山镇）。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "code"]
        indexes = [
            # town and department pickers: Organisation.objects.towns() / departments()
            models.Index(fields=["kind", "sort_order"], name="org_kind_sort_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_town_level(self) -> bool:
        return self.kind in TOWN_LEVEL_KINDS


class CommitteeMembership(models.Model):
    """A member unit of a committee (专委会), possibly its lead (牵头) unit."""

    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("专委会"),
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"kind": OrganisationKind.COMMITTEE},
    )
    member = models.ForeignKey(
        Organisation,
        verbose_name=_("成员单位"),
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    is_lead = models.BooleanField(_("牵头单位"), default=False)

    class Meta:
        verbose_name = _("专委会成员单位")
        verbose_name_plural = _("专委会成员单位")
        constraints = [
            models.UniqueConstraint(fields=["committee", "member"], name="committee_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} - {self.member}"


class IndustryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def active(self) -> IndustryQuerySet:
        return self.filter(is_active=True)


class Industry(models.Model):
    """An industry or sector (行业领域), ordinary or emerging (新兴行业). Reference data."""

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    is_emerging = models.BooleanField(_("新兴行业"), default=False)
    is_high_risk = models.BooleanField(
        _("高危行业"),
        default=False,
        help_text=_(
            "安全生产法第24条所列：矿山、金属冶炼、建筑施工、运输单位和危险物品的生产、经营、储存、装卸。"
        ),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = IndustryQuerySet.as_manager()

    class Meta:
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class SupervisionMapQuerySet(models.QuerySet):
    def current(self, today=None) -> SupervisionMap | None:
        """The newest published map whose year has started."""
        today = today or timezone.localdate()
        return (
            self.filter(published_at__isnull=False, year__lte=today.year).order_by("-year").first()
        )


class SupervisionMap(models.Model):
    """One year's industry -> department supervision map (行业监管责任划分).

    A new year's map is a new row; old maps stay readable. Department scoping uses the
    current map, so re-assigning an industry takes effect when the new map is published.
    """

    year = models.PositiveIntegerField(_("年度"), unique=True)
    title = models.CharField(_("文件名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = SupervisionMapQuerySet.as_manager()

    class Meta:
        verbose_name = _("行业监管责任划分")
        verbose_name_plural = _("行业监管责任划分")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


class SupervisionAssignment(models.Model):
    """In one year's map: an industry, a department, lead (牵头) or co-operating (配合)."""

    supervision_map = models.ForeignKey(
        SupervisionMap,
        verbose_name=_("年度划分"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="supervision_assignments",
        limit_choices_to={"kind": OrganisationKind.DEPARTMENT},
    )
    is_lead = models.BooleanField(_("牵头部门"), default=True)
    town_role = models.CharField(_("镇街职责"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("行业监管部门")
        verbose_name_plural = _("行业监管部门")
        constraints = [
            models.UniqueConstraint(
                fields=["supervision_map", "industry", "department"],
                name="supervision_assignment_unique",
            ),
            # one lead department per industry per year
            models.UniqueConstraint(
                fields=["supervision_map", "industry"],
                condition=Q(is_lead=True),
                name="supervision_one_lead_per_industry",
            ),
        ]
        indexes = [
            # department scoping: industries supervised by a department in the current map
            models.Index(fields=["department", "supervision_map"], name="supervision_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.industry} → {self.department}"


def industries_supervised_by(department_id: int | None) -> models.QuerySet:
    """Ids of the industries `department_id` supervises in the current map, as a subquery."""
    current = SupervisionMap.objects.current()
    if department_id is None or current is None:
        return Industry.objects.none().values("pk")
    return SupervisionAssignment.objects.filter(
        supervision_map=current, department_id=department_id
    ).values("industry_id")


class ReminderTopic(models.Model):
    """A reusable text for the weekly safety reminder (定期发布安全提醒), by month."""

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    months = models.CharField(
        _("适用月份"),
        max_length=40,
        blank=True,
        help_text=_("逗号分隔的月份，如 6,7,8；留空表示全年适用。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("安全提醒主题")
        verbose_name_plural = _("安全提醒主题")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    def applies_in(self, month: int) -> bool:
        if not self.months.strip():
            return True
        return str(month) in {m.strip() for m in self.months.split(",")}


class SafetyReminder(models.Model):
    """A reminder the county office broadcast to all towns; at most one per ISO week."""

    week = models.CharField(_("周次"), max_length=8, unique=True, help_text="2026-W48")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    recipients_count = models.PositiveIntegerField(_("通知人数"), default=0)

    class Meta:
        verbose_name = _("安全提醒")
        verbose_name_plural = _("安全提醒")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.week} {self.title}"


# The sub-domains' models, re-exported so Django finds them under this app; imported last
# because they refer to the models above.
from responsibilities.appraisal_models import (  # noqa: E402, F401 (re-exported)
    AppraisalIndicator,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    IndicatorScore,
    ScoreEvidence,
)
from responsibilities.committee_models import (  # noqa: E402, F401 (re-exported)
    CommitteeMeeting,
    CommitteeMeetingKind,
)
from responsibilities.duty_models import (  # noqa: E402, F401 (re-exported)
    DutyItem,
    DutyItemStatus,
    DutyList,
)
from responsibilities.interview_models import (  # noqa: E402, F401 (re-exported)
    Interview,
    InterviewReason,
    InterviewStatus,
)
