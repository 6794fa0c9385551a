"""The accident list's filters, shared by the page and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.accidents.models import AccidentGrade, InvestigationStatus
from responsibilities.models import Organisation
from safetyportal.core.filters import AllYesNoWidget


def year_choices() -> list[tuple[int, int]]:
    this = timezone.localdate().year
    return [(year, year) for year in range(this, this - 10, -1)]


class AccidentFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("年度"),
        choices=year_choices,
        empty_label=_("全部年度"),
        method="filter_year",
    )
    grade = django_filters.ChoiceFilter(
        label=_("等级"), choices=AccidentGrade.choices, empty_label=_("全部等级")
    )
    town = django_filters.ModelChoiceFilter(
        label=_("镇街"), queryset=Organisation.objects.towns(), empty_label=_("全部镇街")
    )
    status = django_filters.ChoiceFilter(
        label=_("调查处理"), choices=InvestigationStatus.choices, empty_label=_("全部状态")
    )
    late = django_filters.BooleanFilter(
        label=_("迟报"), field_name="is_late", widget=AllYesNoWidget
    )

    # a date range (the dashboards' figures link here with their period)
    occurred_after = django_filters.DateFilter(label=_("发生日期起"), method="filter_after")
    occurred_before = django_filters.DateFilter(label=_("发生日期止"), method="filter_before")

    def filter_after(self, queryset, name, value: datetime.date):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(value, datetime.time.min, tzinfo=tz)
        return queryset.filter(occurred_at__gte=start)

    def filter_before(self, queryset, name, value: datetime.date):
        tz = timezone.get_current_timezone()
        end = datetime.datetime.combine(
            value + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return queryset.filter(occurred_at__lt=end)

    def filter_year(self, queryset, name, value: int):
        if not value:
            return queryset
        tz = timezone.get_current_timezone()
        start = datetime.datetime(int(value), 1, 1, tzinfo=tz)
        end = datetime.datetime(int(value) + 1, 1, 1, tzinfo=tz)
        return queryset.filter(occurred_at__gte=start, occurred_at__lt=end)
