"""Forms of the inspections area. The services validate again; forms give field errors.
Officers and plan targets are offered as id choices worked out per user (users and plan
targets have no door of their own); the checklist answers and findings of the logging page
are read by the view (one field per checklist item and per finding card)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.authority.selectors import certified_officers
from enforcement.permissions import acting_unit_id
from enforcement.plans import services as plan_services
from enterprises.models import Enterprise
from responsibilities.models import Organisation
from safetyportal.core.dates import DATE_WIDGET, PlausibleDateField, posted_date
from safetyportal.core.scoping import scope_choice_fields
from safetyportal.core.uploads import IMAGES, check_upload


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more photos from the phone's camera (HEIC accepted, large ones shrunk)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            PhotoInput(
                attrs={"accept": "image/*", "capture": "environment", "data-max-edge": "1600"}
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, kept = [], []
        for upload in files:
            try:
                kept.append(check_upload(upload, allowed=IMAGES).file)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return kept


class InspectionForm(forms.Form):
    """The head of the logging page (the checklist and the finding cards follow it)."""

    enterprise = forms.ModelChoiceField(
        label=_("被检查单位"), queryset=Enterprise.objects.none(), widget=forms.HiddenInput
    )
    plan_target = forms.TypedChoiceField(
        label=_("计划或临时检查"), coerce=int, required=False, empty_value=None
    )
    inspected_on = PlausibleDateField(
        label=_("检查日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
    officers = forms.TypedMultipleChoiceField(
        label=_("检查人员（持有效执法证）"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "所选人员没有有效的执法证或不属于本单位，不能作为检查人员，请重新选择。"
            )
        },
    )
    joint_units = forms.ModelMultipleChoiceField(
        label=_("联合检查单位"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("多个部门联合检查时勾选，记为一条联合检查记录。"),
    )
    summary = forms.CharField(
        label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    acknowledged_by = forms.CharField(
        label=_("被检查单位负责人签字"), max_length=50, required=False
    )
    refused_to_sign = forms.BooleanField(label=_("负责人拒绝签字"), required=False)

    def __init__(self, *args, user, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_id = acting_unit_id(user)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        if enterprise is not None:
            self.fields["enterprise"].initial = enterprise.pk
        # certified on the inspection's date (the service checks rules.officers_refusal again)
        day = posted_date(self, "inspected_on")
        officers = certified_officers(unit_id, day) if unit_id else []
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]
        if unit_id and not self.is_bound:
            self.fields["officers"].initial = [user.pk]
        targets = (
            plan_services.open_targets_for(user, enterprise.pk)
            if enterprise is not None and unit_id
            else []
        )
        self.fields["plan_target"].choices = [("", _("临时检查（不在计划内）"))] + [
            (t.pk, _("%(month)s月计划检查") % {"month": t.month}) for t in targets
        ]
        self.fields["joint_units"].queryset = (
            Organisation.objects.filter(kind__in=["department", "town", "subdistrict"])
            .exclude(pk=unit_id)
            .order_by("sort_order", "name")
        )
        scope_choice_fields(self, user)


class FindingForm(forms.Form):
    """One more finding on a draft (the workflow step 添加问题)."""

    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    location = forms.CharField(label=_("部位"), max_length=200, required=False)
    photos = PhotosField(label=_("现场照片"))


class AcknowledgementForm(forms.Form):
    """Art. 68: who signed for the enterprise, or that its head refused to sign."""

    acknowledged_by = forms.CharField(
        label=_("被检查单位负责人签字"), max_length=50, required=False
    )
    refused_to_sign = forms.BooleanField(label=_("负责人拒绝签字"), required=False)

    def clean(self):
        data = super().clean()
        name = (data.get("acknowledged_by") or "").strip()
        if bool(name) == bool(data.get("refused_to_sign")):
            raise forms.ValidationError(_("请填写签字人，或勾选拒绝签字（二选一）。"))
        data["acknowledged_by"] = name
        return data


class FindingHazardForm(forms.Form):
    """The one step that makes a finding a hazard in the ledger."""

    deadline = PlausibleDateField(label=_("整改期限"), widget=DATE_WIDGET)
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("整改期限不能早于今天。"))
        return deadline


FIRST_YEAR = 2020  # the first year the county logged inspections in the portal


class UnfollowedYearForm(forms.Form):
    """只检查不执法's year (default: this year): the summary and the list follow it, so
    neither grows with the county's history."""

    year = forms.TypedChoiceField(
        label=_("年度"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": _("没有“%(value)s”这个年度：请从列表中选择年度，下面显示的是本年度。")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]

    def chosen_year(self) -> int:
        """The valid year asked for, else this year."""
        if self.is_valid() and self.cleaned_data["year"] not in (None, ""):
            return self.cleaned_data["year"]
        return timezone.localdate().year
