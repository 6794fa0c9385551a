"""The report list's filters, shared by the page, the Excel export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.reports.models import Outcome, Report, ReportKind, ReportStatus
from responsibilities.models import Organisation
from safetyportal.core.dates import DATE_WIDGET
from safetyportal.core.filters import AllYesNoWidget


def overdue_q(today) -> Q:
    """Open reports past a deadline (accept, verify, feedback)."""
    return (
        Q(status=ReportStatus.RECEIVED, accept_due__lt=today)
        | Q(status__in=[ReportStatus.ACCEPTED, ReportStatus.VERIFYING], verify_due__lt=today)
        | Q(status=ReportStatus.VERIFIED, feedback_due__lt=today)
    )


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ReportStatus.choices, empty_label=_("全部状态")
    )
    kind = django_filters.ChoiceFilter(
        label=_("举报类型"), choices=ReportKind.choices, empty_label=_("全部类型")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("核查结论"), choices=Outcome.choices, empty_label=_("全部结论")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("承办单位"),
        queryset=Organisation.objects.active().order_by("sort_order", "pk"),
        empty_label=_("全部单位"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("逾期"), method="filter_overdue", widget=AllYesNoWidget
    )
    town = django_filters.ModelChoiceFilter(
        label=_("所在镇街"),
        queryset=Organisation.objects.towns().active().order_by("sort_order", "pk"),
        empty_label=_("全部镇街"),
    )
    handled_on_time = django_filters.BooleanFilter(
        label=_("按期办结"), method="filter_handled_on_time", widget=AllYesNoWidget
    )
    received_after = django_filters.DateFilter(
        label=_("收到日期起"), field_name="received_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    received_before = django_filters.DateFilter(
        label=_("收到日期止"), field_name="received_on", lookup_expr="lte", widget=DATE_WIDGET
    )

    class Meta:
        model = Report
        fields = ["status", "kind", "outcome", "unit", "overdue"]

    def filter_handled_on_time(self, queryset, name, value):
        """Verified and fed back within the deadlines (statistics.ON_TIME), among the
        reports that count (not rejected, not merged)."""
        from enforcement.reports.statistics import COUNTED, ON_TIME

        if value is None:
            return queryset
        q = ON_TIME & COUNTED
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
