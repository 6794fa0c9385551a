import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from hazards.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    ExtensionStatus,
    Hazard,
    HazardClass,
    HazardSource,
    HazardStatus,
)
from responsibilities.models import Industry, Organisation, industries_supervised_by
from safetyportal.core.filters import AllYesNoWidget, OrderingFilter

# groups of statuses the home cards count (a figure links to the list with its group)
STAGES = {
    "open": OPEN_STATUSES,
    # the deadline runs against the responsible unit: 待整改 and 整改中
    "to_rectify": RUNNING_STATUSES,
    # every hazard that counts: open or closed, not voided (the dashboards' 排查隐患)
    "valid": (*OPEN_STATUSES, HazardStatus.CLOSED),
}


@extend_schema_field(OpenApiTypes.INT)
class DepartmentFilter(django_filters.ModelChoiceFilter):
    """A department's id (the schema cannot guess the type of a filter with a method)."""


class HazardFilter(django_filters.FilterSet):
    """The ledger's filters, shared by the list page, its Excel export and the API."""

    q = django_filters.CharFilter(label=_("企业名称"), method="search")
    town = django_filters.ModelChoiceFilter(
        label=_("镇街"), queryset=Organisation.objects.towns(), empty_label=_("全部镇街")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业"), queryset=Industry.objects.all(), empty_label=_("全部行业")
    )
    # the industries a department supervises in the current map (the dashboards' ranking
    # counts a department's hazards so; a department's own ledger is its scope already)
    department = DepartmentFilter(
        label=_("监管部门"),
        queryset=Organisation.objects.departments(),
        empty_label=_("全部部门"),
        method="filter_department",
    )
    hazard_class = django_filters.ChoiceFilter(
        label=_("等级"), choices=HazardClass.choices, empty_label=_("全部等级")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=HazardStatus.choices, empty_label=_("全部状态")
    )
    stage = django_filters.ChoiceFilter(
        label=_("进度"),
        choices=(
            ("open", _("未销号")),
            ("to_rectify", _("待整改和整改中")),
            ("valid", _("有效（不含已作废）")),
        ),
        empty_label=_("全部"),
        method="filter_stage",
    )
    source = django_filters.ChoiceFilter(
        label=_("来源"), choices=HazardSource.choices, empty_label=_("全部来源")
    )
    overdue = django_filters.BooleanFilter(
        label=_("逾期"), method="filter_overdue", widget=AllYesNoWidget()
    )
    pending_extension = django_filters.BooleanFilter(
        label=_("延期待审批"), method="filter_pending_extension", widget=AllYesNoWidget()
    )
    found_after = django_filters.DateFilter(
        label=_("发现日期起"), field_name="found_on", lookup_expr="gte"
    )
    found_before = django_filters.DateFilter(
        label=_("发现日期止"), field_name="found_on", lookup_expr="lte"
    )
    ordering = OrderingFilter(
        label=_("排序"),
        empty_label=_("默认排序"),
        # whitelisted: user input never reaches order_by() unchecked
        fields=(
            ("found_on", "found_on"),
            ("deadline", "deadline"),
            ("enterprise__name", "enterprise"),
            ("status", "status"),
        ),
        field_labels={
            "found_on": _("发现日期"),
            "deadline": _("整改期限"),
            "enterprise__name": _("企业"),
            "status": _("状态"),
        },
    )

    class Meta:
        model = Hazard
        fields = [
            "q",
            "town",
            "industry",
            "department",
            "hazard_class",
            "status",
            "stage",
            "source",
            "overdue",
            "pending_extension",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(enterprise__name__icontains=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_department(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(industry_id__in=industries_supervised_by(value.pk))

    def filter_stage(self, queryset, name, value):
        return queryset.filter(status__in=STAGES[value]) if value in STAGES else queryset

    def filter_pending_extension(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Hazard.objects.filter(extensions__status=ExtensionStatus.PENDING).values("pk")
        return queryset.filter(pk__in=pending) if value else queryset.exclude(pk__in=pending)
