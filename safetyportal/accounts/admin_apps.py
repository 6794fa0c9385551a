"""The Django admin, with the portal's site in place of the default one (ADR 0045)."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "safetyportal.accounts.admin_site.PortalAdminSite"
