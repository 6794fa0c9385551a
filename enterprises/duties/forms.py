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
from safetyportal.core.dates import PortalModelForm, check_plausible_year
from safetyportal.core.uploads import EVIDENCE, check_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffingForm(PortalModelForm):
    class Meta:
        model = SafetyStaffing
        fields = [
            "has_safety_body",
            "body_name",
            "full_time_staff",
            "part_time_staff",
            "safety_director",
        ]


class CheckedFileMixin:
    """The record's file (required or optional by its model field) goes through the
    portal's upload checker (type by content, size)."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload:
            return upload
        try:
            return check_upload(upload, allowed=EVIDENCE).file
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class DocumentForm(CheckedFileMixin, PortalModelForm):
    class Meta:
        model = DutyDocument
        fields = ["kind", "title", "issued_on", "file"]
        widgets = {"issued_on": DATE}


class SafetyCostForm(PortalModelForm):
    class Meta:
        model = SafetyCost
        fields = ["year", "project_type", "base_amount", "rate_percent", "extracted", "used"]

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise

    def clean_year(self):
        year = check_plausible_year(self.cleaned_data["year"])
        if (
            self.enterprise
            and SafetyCost.objects.filter(enterprise=self.enterprise, year=year).exists()
        ):
            raise forms.ValidationError(_("该年度的安全生产费用已填报，如需更正请先删除原记录。"))
        return year


class InsuranceForm(PortalModelForm):
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


class CertificateForm(CheckedFileMixin, PortalModelForm):
    class Meta:
        model = SpecialOperationCertificate
        fields = [
            "worker_name",
            "category",
            "number",
            "issued_on",
            "expires_on",
            "reviewed_on",
            "long_service",
            "file",
        ]
        widgets = {"issued_on": DATE, "expires_on": DATE, "reviewed_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # new certificates give their issue date, from which the first review is counted;
        # records entered before it was asked keep it empty
        self.fields["issued_on"].required = True

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        reviewed = cleaned.get("reviewed_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("有效期不能早于发证日期。"))
        if issued and reviewed and reviewed < issued:
            self.add_error("reviewed_on", _("复审日期不能早于发证日期。"))
        return cleaned


class PlanForm(PortalModelForm):
    class Meta:
        model = EmergencyPlan
        fields = ["kind", "title", "filed_on", "reviewed_on"]
        widgets = {"filed_on": DATE, "reviewed_on": DATE}


class DrillForm(PortalModelForm):
    class Meta:
        model = EmergencyDrill
        fields = ["plan_kind", "held_on", "summary"]
        widgets = {"held_on": DATE}


class TrainingForm(CheckedFileMixin, PortalModelForm):
    class Meta:
        model = TrainingRecord
        fields = [
            "trainee_role",
            "trainee_name",
            "trained_on",
            "hours",
            "content",
            "passed",
            "file",
        ]
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
