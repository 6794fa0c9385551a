"""Forms for each workflow step. Services validate again; forms give field-level errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from hazards.models import (
    AccountabilityKind,
    HazardSource,
    ListLevel,
)
from hazards.permissions import is_enterprise_user
from responsibilities.models import Organisation
from safetyportal.core.dates import PlausibleDateField
from safetyportal.core.scoping import scope_choice_fields
from safetyportal.core.uploads import PHOTOS_AND_PDF, check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files, each checked by content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.heic,.heif,.pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, kept = [], []
        for upload in files:
            try:
                kept.append(check_upload(upload, allowed=PHOTOS_AND_PDF).file)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return kept


DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class HazardReportForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("隐患单位"), queryset=Enterprise.objects.none())
    source = forms.ChoiceField(label=_("来源"), choices=HazardSource.choices)
    location = forms.CharField(label=_("隐患部位"), max_length=200)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}))
    found_on = PlausibleDateField(
        label=_("发现日期"), widget=DATE, initial=timezone.localdate, past=True
    )
    deadline = PlausibleDateField(label=_("整改期限"), widget=DATE)
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50)
    responsible_phone = forms.CharField(label=_("责任人电话"), max_length=20, required=False)
    photos = MultipleFileField(label=_("隐患照片"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        if is_enterprise_user(user):
            self.fields["source"].choices = [
                (HazardSource.SELF_CHECK, HazardSource.SELF_CHECK.label)
            ]
            self.fields["enterprise"].initial = user.enterprise_id
        scope_choice_fields(self, user)

    def clean(self):
        data = super().clean()
        if data.get("deadline") and data.get("found_on") and data["deadline"] < data["found_on"]:
            self.add_error("deadline", gettext("整改期限不能早于发现日期。"))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("整改证据（照片或 PDF）"))


class DetermineForm(forms.Form):
    list_number = forms.CharField(label=_("清单编号"), max_length=40)
    level = forms.ChoiceField(label=_("清单层级"), choices=ListLevel.choices, initial="county")
    determined_on = PlausibleDateField(
        past=True,
        label=_("认定日期"),
        widget=DATE,
        initial=timezone.localdate,
    )
    determination_basis = forms.CharField(label=_("认定会议或文件"), max_length=200)
    criterion = forms.CharField(label=_("判定依据"), max_length=200, required=False)
    is_supervised = forms.BooleanField(label=_("挂牌督办"), required=False)


class AssignForm(forms.Form):
    slip_number = forms.CharField(label=_("交办单号"), max_length=40)
    responsible_unit = forms.CharField(label=_("治理责任单位"), max_length=200)
    supervising_unit = forms.ModelChoiceField(
        label=_("协调督办单位"), queryset=Organisation.objects.departments()
    )
    deadline = PlausibleDateField(label=_("整改完成时限"), widget=DATE)
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    funds_amount = forms.DecimalField(
        label=_("整改资金（万元）"), min_value=0, max_digits=10, decimal_places=2
    )
    funds_source = forms.CharField(label=_("资金来源"), max_length=100)
    contingency_measures = forms.CharField(
        label=_("应急预案及临时管控措施"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ProgressForm(forms.Form):
    entry_date = PlausibleDateField(
        past=True, label=_("日期"), widget=DATE, initial=timezone.localdate
    )
    percent = forms.IntegerField(label=_("完成百分比"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("附件"))


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("通过，同意销号")), ("0", _("不通过，退回整改"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("核查意见（不通过时必填：存在的问题和整改要求）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = MultipleFileField(label=_("现场核查照片"))

    def clean(self):
        data = super().clean()
        if data.get("passed") is False and not (data.get("opinion") or "").strip():
            self.add_error("opinion", gettext("不通过时须填写书面说明：存在的问题和整改要求。"))
        return data


class ExtensionRequestForm(forms.Form):
    requested_deadline = PlausibleDateField(label=_("申请延至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("1", _("批准延期")), ("0", pgettext_lazy("extension decision", "不予批准"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), widget=forms.Textarea(attrs={"rows": 2}))


class AccountabilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("问责方式"), choices=AccountabilityKind.choices)
    unit = forms.CharField(label=_("被问责单位或人员"), max_length=200)
    decided_on = PlausibleDateField(
        label=_("日期"), widget=DATE, initial=timezone.localdate, past=True
    )
    note = forms.CharField(label=_("事由及结果"), widget=forms.Textarea(attrs={"rows": 2}))


class ExplanationForm(forms.Form):
    text = forms.CharField(
        label=_("书面说明（原因、已采取的措施和完成时间）"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SuperviseForm(forms.Form):
    demand = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 2}))
    respond_by = forms.DateField(label=_("限期答复（可选）"), widget=DATE, required=False)
