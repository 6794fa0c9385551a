"""The accident report's form and the investigation steps' forms (the API's serializers are
derived from them)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.accidents import rules
from enforcement.accidents.models import AccidentKind
from enforcement.permissions import accident_town_pinned
from enforcement.pickers import picked_enterprise_field
from enterprises.models import Enterprise
from responsibilities.models import Industry, Organisation
from safetyportal.core.dates import PlausibleDateField

LOSS = {
    "max_digits": 14,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "error_messages": {"min_value": _("直接经济损失不能为负数。")},
}

# a date-and-time picker on phones and desks (the browser sends 2026-03-25T15:14)
_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _count(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        initial=0,
        error_messages={"min_value": _("人数不能为负数。")},
    )


def accident_enterprises(user):
    """The enterprises `user` may name on an accident report: those they may see (a town's
    official: only the town's)."""
    if user is None:
        return Enterprise.objects.none()
    enterprises = Enterprise.objects.visible_to(user)
    pinned = accident_town_pinned(user)
    return enterprises if pinned is None else enterprises.filter(town_id=pinned)


class AccidentReportForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=_WHEN)
    reported_at = forms.DateTimeField(label=_("报告县级部门时间"), widget=_WHEN)
    town = forms.ModelChoiceField(label=_("事发镇街"), queryset=Organisation.objects.none())
    place = forms.CharField(label=_("发生地点"), max_length=200)
    # an id from the page's searchable picker (enforcement/pickers.py), within the scope
    enterprise = picked_enterprise_field(
        label=_("事故单位（已登记企业）"),
        invalid=_("所选企业不在您的辖区或监管范围内，请重新选择或填写事故单位名称。"),
    )
    party_name = forms.CharField(
        label=_("事故单位名称（未登记时填写）"), max_length=200, required=False
    )
    industry = forms.ModelChoiceField(
        label=_("行业"), queryset=Industry.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("事故类别"), choices=AccidentKind.choices)
    course = forms.CharField(label=_("事故简要经过"), widget=forms.Textarea(attrs={"rows": 3}))
    deaths = _count(_("死亡人数"))
    serious_injuries = _count(_("重伤人数（含急性工业中毒）"))
    missing = _count(_("失踪人数"))
    direct_loss = forms.DecimalField(label=_("直接经济损失（元）"), initial=0, **LOSS)
    measures = forms.CharField(
        label=_("已采取的措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reported_by = forms.CharField(label=_("报告人"), max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        towns = Organisation.objects.towns().order_by("sort_order", "code")
        pinned = accident_town_pinned(user) if user is not None else None
        if pinned is not None:
            towns = towns.filter(pk=pinned)
            self.fields["town"].initial = pinned
        self.fields["town"].queryset = towns
        self.fields["enterprise"].queryset = accident_enterprises(user)
        self.fields["industry"].queryset = Industry.objects.order_by("code")

    def clean(self):
        data = super().clean()
        occurred, reported = data.get("occurred_at"), data.get("reported_at")
        now = timezone.now()
        if occurred and occurred > now:
            self.add_error("occurred_at", _("发生时间不能晚于现在。"))
        if reported and reported > now:
            self.add_error("reported_at", _("报告时间不能晚于现在。"))
        if occurred and reported and reported < occurred:
            self.add_error("reported_at", _("报告时间不能早于事故发生时间。"))
        enterprise = data.get("enterprise")
        if enterprise is None and not data.get("party_name"):
            self.add_error("party_name", _("请选择事故企业，或填写事故单位名称。"))
        town = data.get("town")
        if enterprise is not None and town is not None and enterprise.town_id != town.pk:
            self.add_error("enterprise", _("该企业不在所选镇街，请核对事发镇街。"))
        return data


class SupplementForm(forms.Form):
    deaths = _count(_("死亡人数"))
    serious_injuries = _count(_("重伤人数（含急性工业中毒）"))
    missing = _count(_("失踪人数"))
    direct_loss = forms.DecimalField(label=_("直接经济损失（元）"), **LOSS)
    note = forms.CharField(label=_("补报说明"), widget=forms.Textarea(attrs={"rows": 2}))


class InvestigateForm(forms.Form):
    started_on = PlausibleDateField(label=_("成立调查组日期"), past=True)
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Organisation.objects.exclude(kind__in=("town", "subdistrict"))
    )
    team = forms.CharField(label=_("调查组组成"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("延长天数"),
        min_value=1,
        max_value=rules.MAX_EXTENSION_DAYS,
        error_messages={
            "min_value": _("延长天数至少 1 日。"),
            "max_value": _("延长天数最多 60 日。"),
        },
    )
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class SubmitReportForm(forms.Form):
    submitted_on = PlausibleDateField(label=_("调查报告提交日期"), past=True)
    summary = forms.CharField(label=_("调查报告要点"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decided_on = PlausibleDateField(label=_("批复日期"), past=True)
    decision = forms.CharField(label=_("批复意见"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    closed_on = PlausibleDateField(label=_("结案日期"), past=True)
