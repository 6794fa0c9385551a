"""Forms of the plans area. Services validate again; forms give field-level errors."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.permissions import unit_enterprise_scope, unit_officials
from enforcement.plans.models import TargetKind
from enterprises.models import Enterprise
from responsibilities.models import TOWN_LEVEL_KINDS, Organisation
from safetyportal.core.dates import DATE_WIDGET, PlausibleDateField

MONTHS = [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)]
MONTH_ERROR = {"invalid_choice": _("计划月份应为 1 至 12 月。")}
ASSIGNEE_ERROR = {"invalid_choice": _("包保人员必须是本单位的在岗执法人员。")}


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["title"].help_text = _("可不填，默认为“单位+年度执法检查计划”。")


class _TargetFields(forms.Form):
    month = forms.TypedChoiceField(
        label=_("计划月份"), choices=MONTHS, coerce=int, error_messages=MONTH_ERROR
    )
    kind = forms.ChoiceField(label=_("包保方式"), choices=TargetKind.choices)
    assigned_to = forms.ModelChoiceField(
        label=_("包保人员"), queryset=Organisation.objects.none(), error_messages=ASSIGNEE_ERROR
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        officials = unit_officials(plan.unit_id).order_by("display_name", "pk")
        self.fields["assigned_to"].queryset = officials
        self.fields["assigned_to"].label_from_instance = lambda u: u.display_name or u.username


class TargetAddForm(_TargetFields):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("检查对象"),
        queryset=Enterprise.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可多选：按住 Ctrl（手机上直接点选）选择多家企业，同一月份一次添加。"),
        error_messages={
            "invalid_choice": _("所选企业不在本单位的监管范围内，请从本单位的企业中选择。"),
            "invalid_pk_value": _("所选企业不在本单位的监管范围内，请从本单位的企业中选择。"),
        },
    )
    field_order = ["enterprises", "month", "kind", "assigned_to"]

    def __init__(self, *args, plan, search: str = "", **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        in_scope = Enterprise.objects.filter(unit_enterprise_scope(plan.unit))
        field = self.fields["enterprises"]
        field.queryset = in_scope  # what a submitted choice is checked against
        # what the list offers: a town has thousands of enterprises at city scale, so the
        # list shows the first SHOWN by name (narrowed by the search box)
        shown = in_scope.filter(name__icontains=search) if search else in_scope
        field.widget.choices = list(
            shown.order_by("name", "pk").values_list("pk", "name")[: self.SHOWN]
        )

    SHOWN = 200


class TargetEditForm(_TargetFields):
    """A target's month, kind and assignee changed while it is not done."""


class TargetFilterForm(forms.Form):
    """The targets list's filters (GET)."""

    STATES = [
        ("", _("全部状态")),
        ("done", _("已完成")),
        ("due", _("本月待查")),
        ("overdue", _("逾期未查")),
        ("upcoming", _("未到期")),
        ("open", _("未完成")),
    ]
    month = forms.TypedChoiceField(
        label=_("月份"),
        choices=[("", _("全部月份")), *MONTHS],
        coerce=int,
        required=False,
        empty_value=None,
    )
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        choices=[("", _("全部季度"))] + [(q, _("第%(q)s季度") % {"q": q}) for q in range(1, 5)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    kind = forms.ChoiceField(
        label=_("包保方式"), choices=[("", _("全部方式")), *TargetKind.choices], required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("包保人员"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("全部人员"),
    )
    state = forms.ChoiceField(label=_("状态"), choices=STATES, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = unit_officials(plan.unit_id).order_by(
            "display_name", "pk"
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["assignee"].label_from_instance = lambda u: u.display_name or u.username


class PairingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    town = forms.ModelChoiceField(
        label=_("包联镇街"),
        queryset=Organisation.objects.filter(kind__in=TOWN_LEVEL_KINDS, is_active=True),
        error_messages={"invalid_choice": _("包联对象必须是镇或街道。")},
    )
    chief = forms.ModelChoiceField(
        label=_("包联科室负责人"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("包联负责人必须是县直部门的在岗人员。")},
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, chiefs, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["chief"].queryset = chiefs
        self.fields["chief"].label_from_instance = lambda u: (
            f"{u.display_name or u.username}（{u.organisation.short_name or u.organisation.name}）"
            if u.organisation_id
            else (u.display_name or u.username)
        )
        if editing:
            del self.fields["year"]
            del self.fields["town"]


class VisitForm(forms.Form):
    visited_on = PlausibleDateField(label=_("指导日期"), past=True, widget=DATE_WIDGET)
    content = forms.CharField(label=_("指导内容"), widget=forms.Textarea(attrs={"rows": 3}))
    issues_found = forms.CharField(
        label=_("发现问题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up = forms.CharField(
        label=_("跟踪落实"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
