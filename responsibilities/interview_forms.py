"""The 约谈 forms: the draft and the two steps (the API's serializers derive from them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from responsibilities.interview_models import InterviewReason
from responsibilities.models import Organisation
from safetyportal.core.dates import PlausibleDateField

_TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}


class InterviewForm(forms.Form):
    summoned_unit = forms.ModelChoiceField(
        label=_("被约谈单位（部门、镇街）"),
        queryset=Organisation.objects.active(),
        required=False,
    )
    summoned_name = forms.CharField(
        label=_("被约谈企业名称（约谈企业时填写）"), max_length=200, required=False
    )
    reason_kind = forms.ChoiceField(label=_("约谈事由"), choices=InterviewReason.choices)
    reason_text = forms.CharField(label=_("事由说明"), **_TEXT)
    date = PlausibleDateField(label=_("约谈日期"))
    participants = forms.CharField(label=_("参加人员"), required=False, **_TEXT)

    def clean(self):
        data = super().clean()
        if data.get("summoned_unit") is None and not data.get("summoned_name", "").strip():
            self.add_error("summoned_name", _("请选择被约谈单位，或填写被约谈企业名称。"))
        return data


class HeldForm(forms.Form):
    held_on = PlausibleDateField(label=_("约谈日期"), past=True)
    participants = forms.CharField(label=_("参加人员"), **_TEXT)
    minutes = forms.CharField(label=_("约谈纪要"), **_TEXT)
    commitments = forms.CharField(label=_("整改承诺"), required=False, **_TEXT)


class FeedbackForm(forms.Form):
    feedback_on = PlausibleDateField(label=_("反馈日期"), past=True)
    feedback = forms.CharField(label=_("整改反馈"), **_TEXT)
