# Hazards are handled through the portal's audited services, not the admin (mission.md §7).
# Only the reference data of this app, the LEC colour bands, is edited here.
from django.contrib import admin

from hazards.models import RiskBand


@admin.register(RiskBand)
class RiskBandAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "colour", "min_score", "min_exclusive"]

    def has_delete_permission(self, request, obj=None):
        return False  # every point needs a band; change the bounds instead
