"""Forms of the county office's duty-list pages: a unit's list for a year, an item, and
copying a list into a later year."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from responsibilities.models import TOWN_LEVEL_KINDS, Organisation, OrganisationKind
from safetyportal.core.dates import PlausibleDateField

_YEAR = {
    "min_value": 2000,
    "max_value": 2100,
    "error_messages": {
        "min_value": _("年度须在 2000 至 2100 之间。"),
        "max_value": _("年度须在 2000 至 2100 之间。"),
        "invalid": _("请填写有效的年度。"),
        "required": _("请填写年度。"),
    },
}


def duty_owners():
    """The units that keep a duty list: the departments and the 镇街."""
    return Organisation.objects.active().filter(
        Q(kind=OrganisationKind.DEPARTMENT) | Q(kind__in=TOWN_LEVEL_KINDS)
    )


class DutyListForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), **_YEAR)
    owner = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("请选择责任单位。"),
            "invalid_choice": _("请选择有效的责任单位。"),
        },
    )
    owner_person = forms.CharField(label=_("责任人"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = duty_owners().order_by("sort_order", "code")


class DutyItemForm(forms.Form):
    content = forms.CharField(
        label=_("责任内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写责任内容。")},
    )
    legal_basis = forms.CharField(label=_("依据"), max_length=300, required=False)
    frequency = forms.CharField(label=_("频次"), max_length=50, required=False)
    deadline = PlausibleDateField(
        label=_("完成时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的日期。")},
    )


class DutyCopyForm(forms.Form):
    year = forms.IntegerField(label=_("新年度"), **_YEAR)
