"""Who sees which enterprises, as a Q object (mission.md §1).

The bottom of the app: the models' `visible_to(user)` use it and it imports no model of
this app, so models never import the rules module (enterprises/permissions.py) or a
service. It and enterprises/permissions.py are the only modules of the app that look at
a user's role.
"""

from __future__ import annotations

from django.db.models import Q

from responsibilities.models import industries_supervised_by
from safetyportal.accounts.models import Role

NOTHING = Q(pk__in=[])


def enterprise_scope(user) -> Q:
    """A Q object selecting the enterprises `user` may see; other apps reuse it through
    their own foreign key (`Q(enterprise__in=...)`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role == Role.TOWN:
        return Q(town_id=user.organisation_id) if user.organisation_id else NOTHING
    if user.role == Role.DEPARTMENT:
        return Q(industry_id__in=industries_supervised_by(user.organisation_id))
    if user.role == Role.ENTERPRISE:
        return Q(pk=user.enterprise_id) if user.enterprise_id else NOTHING
    if user.role == Role.EXPERT:
        return Q(
            enterpriseuserobjectpermission__user=user,
            enterpriseuserobjectpermission__permission__codename="view_enterprise",
        )
    return NOTHING
