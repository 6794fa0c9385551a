from django.contrib import admin

from safetyportal.core.models import OutboxTask, WorkerHeartbeat

# No bulk delete anywhere in the admin: ledger records are never deleted, and reference
# data is removed one row at a time from its own page (docs/decisions/0046).
admin.site.disable_action("delete_selected")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at", "hostname"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """Read-only: rows are written when the broker is unreachable and sent by the relay."""

    list_display = ["task", "args", "created_at", "sent_at", "error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
