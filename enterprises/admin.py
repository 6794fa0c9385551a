# Enterprises and their records are maintained through the portal's audited services, not
# the admin (mission.md §7: the admin is for reference data only). The reference data of
# this app — the self-assessment checklist versions, assessment periods and the industries
# where liability insurance is mandatory — is edited here by the county office.
from django.contrib import admin
from django.db import transaction

from enterprises.duties.judging import judge_reference_changes
from enterprises.duties.selectors import duty_reference
from enterprises.models import (
    AssessmentPeriod,
    AssessmentTemplate,
    GradeBand,
    InsuranceMandate,
    SafetyCostObligation,
    SafetyCostRate,
    TemplateItem,
)


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_active", "failed_item_percent"]
    inlines = [TemplateItemInline]

    def has_delete_permission(self, request, obj=None):
        return False  # assessments refer to their version; deactivate it instead


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "due_on"]


class DutyReferenceAdmin(admin.ModelAdmin):
    """Reference data the compliance checks read: each change judges the enterprises of
    the industries it touched again, in the same transaction."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = duty_reference()
            super().save_model(request, obj, form, change)
            judge_reference_changes(before)

    def delete_model(self, request, obj):
        with transaction.atomic():
            before = duty_reference()
            super().delete_model(request, obj)
            judge_reference_changes(before)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            before = duty_reference()
            super().delete_queryset(request, queryset)
            judge_reference_changes(before)


@admin.register(InsuranceMandate)
class InsuranceMandateAdmin(DutyReferenceAdmin):
    list_display = ["industry", "legal_basis"]
    list_select_related = ["industry"]


@admin.register(SafetyCostObligation)
class SafetyCostObligationAdmin(DutyReferenceAdmin):
    list_display = ["industry", "legal_basis", "confirmed"]
    list_select_related = ["industry"]


@admin.register(SafetyCostRate)
class SafetyCostRateAdmin(DutyReferenceAdmin):
    list_display = [
        "industry",
        "project_type",
        "band_from",
        "band_to",
        "rate_percent",
        "valid_from",
        "valid_until",
        "confirmed",
    ]
    list_filter = ["industry", "confirmed"]
    list_select_related = ["industry"]


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    list_display = ["grade", "name", "min_score"]
