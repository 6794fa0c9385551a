from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from safetyportal.accounts import views as account_views
from safetyportal.core import views as core_views
from safetyportal.dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", account_views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("accounts/profile/", account_views.profile, name="profile"),
    # public (see core/public.py): the login page's language switch posts here
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("notifications/", include("safetyportal.notifications.urls")),
    path("schedules/", include("safetyportal.core.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("hazards/", include("hazards.urls")),
    path("responsibilities/", include("responsibilities.urls")),
    path("enforcement/", include("enforcement.urls")),
    # stored PDF reports and the numbered bulletin (issue 12 item 3)
    path("reports/", include("safetyportal.dashboard.reports.urls")),
    path("api/", include("safetyportal.api.urls")),
    # the dashboards, the leaders' briefing and the dashboard export (issue 12 item 2)
    path("dashboard/", include("safetyportal.dashboard.urls")),
    path("admin/", admin.site.urls),
]

# admin.site is safetyportal.accounts.admin_site.PortalAdminSite (its titles, and only
# the county office and superusers get in: ADR 0045)

# the API answers JSON for a URL no route matches (issue 14 item 2, ADR 0044)
handler404 = "safetyportal.core.views.page_not_found"
