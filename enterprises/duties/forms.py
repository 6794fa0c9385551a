"""One form per kind of duty record, and the kinds (slug, model, form, label) the pages
and the API share."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.duties.models import (
    DUTY_MODELS,
    DutyDocument,
    EmergencyDrill,
    EmergencyPlan,
    LiabilityInsurance,
    SafetyCost,
    SafetyStaffing,
    SpecialOperationCertificate,
    TrainingRecord,
)
from safetyportal.core.uploads import EVIDENCE, check_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffingForm(forms.ModelForm):
    class Meta:
        model = SafetyStaffing
        fields = [
            "has_safety_body",
            "body_name",
            "full_time_staff",
            "part_time_staff",
            "safety_director",
        ]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = DutyDocument
        fields = ["kind", "title", "issued_on", "file"]
        widgets = {"issued_on": DATE}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            return check_upload(upload, allowed=EVIDENCE).file
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class SafetyCostForm(forms.ModelForm):
    class Meta:
        model = SafetyCost
        fields = ["year", "base_amount", "rate_percent", "extracted", "used"]

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise

    def clean_year(self):
        year = self.cleaned_data["year"]
        if (
            self.enterprise
            and SafetyCost.objects.filter(enterprise=self.enterprise, year=year).exists()
        ):
            raise forms.ValidationError(_("该年度的安全生产费用已填报，如需更正请先删除原记录。"))
        return year


class InsuranceForm(forms.ModelForm):
    class Meta:
        model = LiabilityInsurance
        fields = ["policy_number", "insurer", "starts_on", "ends_on", "cover_per_person"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("保险止期不能早于起期。"))
        return cleaned


class CertificateForm(forms.ModelForm):
    class Meta:
        model = SpecialOperationCertificate
        fields = ["worker_name", "category", "number", "expires_on"]
        widgets = {"expires_on": DATE}


class PlanForm(forms.ModelForm):
    class Meta:
        model = EmergencyPlan
        fields = ["kind", "title", "filed_on", "reviewed_on"]
        widgets = {"filed_on": DATE, "reviewed_on": DATE}


class DrillForm(forms.ModelForm):
    class Meta:
        model = EmergencyDrill
        fields = ["plan_kind", "held_on", "summary"]
        widgets = {"held_on": DATE}


class TrainingForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["trainee_role", "trainee_name", "trained_on", "hours", "content", "passed"]
        widgets = {"trained_on": DATE}


@dataclass(frozen=True)
class DutyKind:
    slug: str
    model: type
    form: type
    label: str  # lazily translated


FORMS = {
    SafetyStaffing: StaffingForm,
    DutyDocument: DocumentForm,
    SafetyCost: SafetyCostForm,
    LiabilityInsurance: InsuranceForm,
    SpecialOperationCertificate: CertificateForm,
    EmergencyPlan: PlanForm,
    EmergencyDrill: DrillForm,
    TrainingRecord: TrainingForm,
}

DUTY_KINDS = {
    slug: DutyKind(slug, model, FORMS[model], model._meta.verbose_name)
    for slug, model in DUTY_MODELS.items()
}


def make_form(kind: DutyKind, *, enterprise, data=None, files=None):
    if kind.form is SafetyCostForm:
        return kind.form(data, files, enterprise=enterprise)
    return kind.form(data, files)
