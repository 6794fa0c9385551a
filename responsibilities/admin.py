from django.contrib import admin

from responsibilities.models import (
    CommitteeMembership,
    Industry,
    Organisation,
    ReminderTopic,
    SafetyReminder,
    SupervisionAssignment,
    SupervisionMap,
)
from responsibilities.signals import industry_changed


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    fk_name = "committee"
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "general_procedure_authorised", "is_active"]
    list_filter = ["kind", "is_active", "general_procedure_authorised"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    inlines = [CommitteeMembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # units are deactivated, never deleted: records point at them


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_emerging", "is_high_risk", "is_active"]
    list_filter = ["is_emerging", "is_high_risk", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            industry_changed.send(sender=Industry, industry=obj)


class SupervisionAssignmentInline(admin.TabularInline):
    model = SupervisionAssignment
    extra = 0
    autocomplete_fields = ["industry", "department"]


@admin.register(SupervisionMap)
class SupervisionMapAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "document_number", "published_at"]
    inlines = [SupervisionAssignmentInline]


@admin.register(ReminderTopic)
class ReminderTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "months", "is_active", "sort_order"]


@admin.register(SafetyReminder)
class SafetyReminderAdmin(admin.ModelAdmin):
    list_display = ["week", "title", "published_at", "recipients_count"]

    def has_add_permission(self, request):
        return False  # published by the weekly task

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
