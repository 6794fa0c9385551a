"""The inspection list's filters, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from enforcement.inspections.models import Inspection, InspectionStatus
from responsibilities.models import Organisation
from safetyportal.core.filters import AllYesNoWidget


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("检查单位"),
        queryset=Organisation.objects.filter(kind__in=["department", "town", "subdistrict"]),
        empty_label=_("全部单位"),
    )
    town = django_filters.ModelChoiceFilter(
        label=_("镇街"), queryset=Organisation.objects.towns(), empty_label=_("全部镇街")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=InspectionStatus.choices, empty_label=_("全部状态")
    )
    has_findings = django_filters.BooleanFilter(
        label=_("发现问题"), method="filter_has_findings", widget=AllYesNoWidget()
    )
    date_after = django_filters.DateFilter(
        label=_("检查日期起"), field_name="inspected_on", lookup_expr="gte"
    )
    date_before = django_filters.DateFilter(
        label=_("检查日期止"), field_name="inspected_on", lookup_expr="lte"
    )

    class Meta:
        model = Inspection
        fields = ["q", "unit", "town", "status", "has_findings"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(enterprise__name__icontains=value) if value else queryset

    def filter_has_findings(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(finding_count__gt=0) if value else queryset.filter(finding_count=0)
