"""The admin (参考数据维护) is the county office's tool: a staff flag alone opens nothing.

A user may use the admin when active, staff and either a superuser or of the county
office's role. Anyone else who is signed in gets 403 on every admin page, its login page
included, even when is_staff was ticked by mistake; an anonymous visitor is sent to the
admin's login page as usual (ADR 0045).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from safetyportal.accounts.models import may_use_admin


class PortalAdminSite(admin.AdminSite):
    site_header = "澧县安全生产监管门户 · 参考数据维护"
    site_title = "安全生产监管门户"

    def has_permission(self, request) -> bool:
        return may_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def refuse_other_roles(request, *args, **kwargs):
            _refuse_signed_in_outsiders(request)
            return inner(request, *args, **kwargs)

        return refuse_other_roles

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        _refuse_signed_in_outsiders(request)
        return super().login(request, extra_context)


def _refuse_signed_in_outsiders(request) -> None:
    user = request.user
    if user.is_authenticated and not may_use_admin(user):
        raise PermissionDenied("参考数据维护后台只供县安委办使用。")
