"""The portal's URLs plus /bench-admin/: a stock Django AdminSite with read-only
ModelAdmins (25 rows a page) for the models whose lists the bench compares, so the peer
ratio compares our list page with a plain admin changelist of the same model, filter and
page size. Used only by the bench server (bench/bench_settings.py)."""

from django.apps import apps
from django.contrib import admin
from django.urls import path

from safetyportal.urls import urlpatterns as portal_urlpatterns


class PeerAdmin(admin.ModelAdmin):
    list_per_page = 25

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


site = admin.AdminSite(name="bench_admin")
# model label -> columns like those of our list page
PEERS = {
    "hazards.Hazard": ("id", "enterprise", "town", "industry", "hazard_class", "status",
                       "found_on", "deadline"),
    "enterprises.Enterprise": ("name", "uscc", "town", "industry", "employee_count",
                               "is_high_risk", "status"),
    "hazards.RiskPoint": ("name", "enterprise", "score", "responsible_person",
                          "check_frequency"),
    "enterprises.SelfAssessment": ("enterprise", "period", "status", "total", "grade"),
}  # fmt: skip
for label, columns in PEERS.items():
    model = apps.get_model(label)
    relations = tuple(c for c in columns if model._meta.get_field(c).is_relation and c != "id")
    site.register(
        model,
        type(
            f"Peer{model.__name__}Admin",
            (PeerAdmin,),
            {"list_display": columns, "list_select_related": relations},
        ),
    )

urlpatterns = [path("bench-admin/", site.urls), *portal_urlpatterns]
