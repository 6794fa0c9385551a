"""The report request form and the list's filters."""

from __future__ import annotations

from typing import cast

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from responsibilities.models import Organisation
from safetyportal.core.reports import HALF_MONTH, half_month_period, registered, year_period
from safetyportal.core.scoping import scope_choice_fields
from safetyportal.dashboard.models import Report, ReportStatus


def requestable_kinds(user) -> list:
    """The kinds `user` may request for some unit (any, or their own)."""
    return [
        kind
        for kind in registered()
        if kind.may_request(user) or (user.is_active and user.role in kind.own_unit_roles)
    ]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"))
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("全县"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("月份"), min_value=1, max_value=12, required=False, help_text=_("半月通报填写。")
    )
    half = forms.TypedChoiceField(
        label=_("上/下半月"),
        choices=[(1, _("上半月（1-15日）")), (2, _("下半月（16日-月末）"))],
        coerce=int,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.kinds = {kind.key: kind for kind in requestable_kinds(user)}
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [(k.key, k.label) for k in self.kinds.values()]
        unit_kinds = {u for kind in self.kinds.values() for u in kind.unit_kinds}
        units = Organisation.objects.active().filter(kind__in=unit_kinds)
        if not user.sees_whole_county:
            units = units.filter(pk=user.organisation_id)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
        scope_choice_fields(self, user)

    def clean(self):
        data = super().clean() or {}
        kind = self.kinds.get(data.get("kind"))
        if kind is None or "year" not in data:
            return data
        if kind.period == HALF_MONTH:
            if not data.get("month") or not data.get("half"):
                raise forms.ValidationError(_("半月通报请填写月份并选择上半月或下半月。"))
            period = half_month_period(data["year"], data["month"], data["half"])
        else:
            period = year_period(data["year"])
        data["period_start"], data["period_end"], data["period_label"] = period
        return data


class ReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("报告类型"), choices=[], empty_label=_("全部类型"))
    year = django_filters.NumberFilter(label=_("年度"), field_name="period_end", lookup_expr="year")
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"),
        queryset=Organisation.objects.exclude(kind__in=["county", "safety_committee"]),
        empty_label=_("全部单位"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ReportStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Report
        fields = ["kind", "year", "unit", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = [(k.key, k.label) for k in registered()]
