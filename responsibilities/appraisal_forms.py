"""The appraisal forms: the scheme, an indicator, opening a round, the result's steps and a
score's adjustment (the API's serializers derive from the step forms)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from responsibilities.appraisal_models import AppraisalIndicator, IndicatorKind
from responsibilities.appraisal_rules import Method, rule_choices
from safetyportal.core.dates import PlausibleDateField

_TEXT = {"widget": forms.Textarea(attrs={"rows": 4})}


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("方案名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    excellent_from = forms.DecimalField(
        label=_("优秀分数线"), max_digits=5, decimal_places=2, initial=Decimal(90)
    )
    pass_from = forms.DecimalField(
        label=_("合格分数线"), max_digits=5, decimal_places=2, initial=Decimal(70)
    )
    veto_cap = forms.DecimalField(
        label=_("一票否决封顶分"), max_digits=5, decimal_places=2, initial=Decimal(60)
    )


class CopySchemeForm(forms.Form):
    year = forms.IntegerField(label=_("新方案年度"), min_value=2000, max_value=2100)


class IndicatorForm(forms.ModelForm):
    rule = forms.ChoiceField(label=_("计分规则"), required=False)
    method = forms.ChoiceField(
        label=_("计分方法"),
        required=False,
        choices=[
            ("", _("按规则默认")),
            (Method.RATE, _("按比例得分")),
            (Method.DEDUCT, _("逐项扣分")),
        ],
    )

    class Meta:
        model = AppraisalIndicator
        fields = [
            "code",
            "name",
            "kind",
            "rule",
            "method",
            "points",
            "params",
            "for_towns",
            "for_departments",
            "for_committees",
            "description",
            "sort_order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("（评议计分指标不选）")), *rule_choices()]
        self.fields["params"].required = False
        self.fields["params"].help_text = _(
            '如逐项扣分每项扣 2 分：{"per_item": 2}；专委会会议次数：{"required": 4}。'
        )

    def clean_params(self):
        return self.cleaned_data.get("params") or {}


class OpenRoundForm(forms.Form):
    snapshot_date = PlausibleDateField(
        label=_("数据截止日期"),
        help_text=_("只统计该日及以前的记录，通常为考核年度的 12 月 31 日。"),
    )

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if year is not None:
            self.fields["snapshot_date"].initial = min(
                datetime.date(year, 12, 31), timezone.localdate()
            )


class CommentForm(forms.Form):
    self_report = forms.CharField(
        label=_("自评意见"),
        help_text=_("对计算得分的意见、需要说明的情况和补充材料。"),
        **_TEXT,
    )


class ReviewForm(forms.Form):
    review_note = forms.CharField(label=_("评审意见"), required=False, **_TEXT)


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("审定意见"), required=False, **_TEXT)


class SendBackForm(forms.Form):
    note = forms.CharField(label=_("退回理由"), **_TEXT)


class AdjustForm(forms.Form):
    points = forms.DecimalField(
        label=_("评审得分"),
        max_digits=6,
        decimal_places=2,
        required=False,
        min_value=Decimal(0),
        help_text=_("留空表示取消调整，按计算得分。"),
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写调整理由。")},
    )


KIND_CHOICES = IndicatorKind.choices
