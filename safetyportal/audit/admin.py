from django.contrib import admin

from safetyportal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never added, changed or deleted by hand."""

    list_display = ["created_at", "actor", "verb", "target_type", "target_repr"]
    list_filter = ["verb", "target_type"]
    search_fields = ["target_repr", "actor__username", "actor__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
