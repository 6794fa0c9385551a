"""The form for recording a 专委会 meeting (attendees limited to the committee's members)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from responsibilities.committee_models import CommitteeMeetingKind
from responsibilities.models import Organisation
from safetyportal.core.dates import PlausibleDateField

_TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}


class CommitteeMeetingForm(forms.Form):
    held_on = PlausibleDateField(label=_("会议日期"), past=True)
    kind = forms.ChoiceField(label=_("会议类型"), choices=CommitteeMeetingKind.choices)
    topic = forms.CharField(label=_("议题"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参会成员单位"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(label=_("会议纪要"), **_TEXT)
    decisions = forms.CharField(label=_("议定事项及落实"), required=False, **_TEXT)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Organisation.objects.filter(
            committee_memberships__committee=committee
        ).order_by("sort_order", "code")
