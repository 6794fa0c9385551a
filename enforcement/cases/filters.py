"""The case list's filters, shared by the page and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement import rules
from enforcement.authority.models import Procedure
from enforcement.cases.models import Case, CaseStatus, PenaltyKind
from responsibilities.models import Organisation
from safetyportal.core.filters import AllYesNoWidget


def overdue_q(today: datetime.date) -> Q:
    """Open cases with a deadline missed: no decision 90 days after 立案, a decision not
    served within 7 days, a fine not paid by its due day."""
    return (
        Q(
            procedure=Procedure.GENERAL,
            decided_on__isnull=True,
            filed_on__lt=today - datetime.timedelta(days=rules.DECISION_DAYS),
        )
        & ~Q(status=CaseStatus.CLOSED)
        | Q(
            status=CaseStatus.DECIDED,
            decided_on__lt=today - datetime.timedelta(days=rules.SERVICE_DAYS),
        )
        | Q(status=CaseStatus.SERVED, penalty_kind=PenaltyKind.FINE, payment_due__lt=today)
    )


class CaseFilter(django_filters.FilterSet):
    procedure = django_filters.ChoiceFilter(
        label=_("程序"), choices=Procedure.choices, empty_label=_("全部程序")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CaseStatus.choices, empty_label=_("全部状态")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("办案单位"),
        queryset=Organisation.objects.active().order_by("sort_order", "pk"),
        empty_label=_("全部单位"),
    )
    town = django_filters.ModelChoiceFilter(
        label=_("镇街"), queryset=Organisation.objects.towns(), empty_label=_("全部镇街")
    )
    overdue = django_filters.BooleanFilter(
        label=_("逾期"), method="filter_overdue", widget=AllYesNoWidget
    )
    # this year's cases (the home card's figures link here): by 立案 date
    filed_after = django_filters.DateFilter(
        label=_("立案日期起"), field_name="filed_on", lookup_expr="gte"
    )
    filed_before = django_filters.DateFilter(
        label=_("立案日期止"), field_name="filed_on", lookup_expr="lte"
    )

    class Meta:
        model = Case
        fields = ["procedure", "status", "unit", "town", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
