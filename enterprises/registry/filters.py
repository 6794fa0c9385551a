import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.registry.models import Enterprise, EnterpriseStatus, supervised_industries
from responsibilities.models import Industry, Organisation
from safetyportal.core.filters import AllYesNoWidget, OrderingFilter


class EnterpriseFilter(django_filters.FilterSet):
    """Filters shared by the list page and the API: town, industry, risk, status, search."""

    q = django_filters.CharFilter(label=_("名称或信用代码"), method="search")
    town = django_filters.ModelChoiceFilter(
        label=_("镇街"), queryset=Organisation.objects.towns(), empty_label=_("全部镇街")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业"), queryset=Industry.objects.all(), empty_label=_("全部行业")
    )
    is_high_risk = django_filters.BooleanFilter(
        label=_("高危企业"),
        widget=AllYesNoWidget(),
    )
    unsupervised = django_filters.BooleanFilter(
        label=_("监管空白"), method="filter_unsupervised", widget=AllYesNoWidget()
    )
    status = django_filters.ChoiceFilter(
        label=_("经营状态"), choices=EnterpriseStatus.choices, empty_label=_("全部状态")
    )
    ordering = OrderingFilter(
        label=_("排序"),
        empty_label=_("默认排序"),
        # whitelisted: user input never reaches order_by() unchecked
        fields=(
            ("name", "name"),
            ("employee_count", "employee_count"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "name": _("名称"),
            "employee_count": _("从业人员数"),
            "created_at": _("登记时间"),
        },
    )

    class Meta:
        model = Enterprise
        fields = ["q", "town", "industry", "is_high_risk", "unsupervised", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper()))

    def filter_unsupervised(self, queryset, name, value):
        """监管空白: the industry has no department in the current supervision map."""
        if value is None:
            return queryset
        gap = ~Q(industry_id__in=supervised_industries())
        return queryset.filter(gap) if value else queryset.exclude(gap)
