"""Who sees which dashboard (ADR 0032): the county office and leaders the county's (and,
narrowed, any town's), a town official their town's, a department official their
department's; enterprises and experts none. Every figure is counted over the user's own
`visible_to` rows, so the scope here only chooses the dashboard, it never widens a view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from responsibilities.models import Organisation
from safetyportal.accounts.models import Role
from safetyportal.dashboard.figures import COUNTY, DEPARTMENT, TOWN, Scope


def sees_dashboard(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.sees_whole_county or user.role in (Role.TOWN, Role.DEPARTMENT))
    )


def dashboard_scope(user, town_id: str | None = None) -> Scope:
    """The dashboard `user` may see; `town_id` (a county user's choice) narrows the
    county to one town. Raises PermissionDenied (no dashboard for the role) or Http404
    (an unknown town)."""
    if not sees_dashboard(user):
        raise PermissionDenied(_("数据看板仅供县安委办、县领导、镇街和行业部门使用。"))
    if user.sees_whole_county:
        if town_id:
            try:
                town = Organisation.objects.towns().get(pk=int(town_id))
            except (Organisation.DoesNotExist, ValueError, TypeError):
                raise Http404(_("没有这个镇街。")) from None
            return Scope(user=user, kind=TOWN, unit=town, town_filter=town)
        return Scope(user=user, kind=COUNTY)
    if not user.organisation_id:
        raise PermissionDenied(_("您的账号未关联单位，无法查看数据看板。"))
    kind = TOWN if user.role == Role.TOWN else DEPARTMENT
    return Scope(user=user, kind=kind, unit=user.organisation)
