"""The one door to enterprises: `enterprise_scope(user)` for lists, `get_enterprise_for_user`
for one object. Roles and what they see are in mission.md §1."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

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


def get_enterprise_for_user(user, pk):
    """The enterprise `pk` if `user` may see it, else 404 (never 403: no existence leak)."""
    from enterprises.models import Enterprise

    try:
        return Enterprise.objects.visible_to(user).with_list_relations().get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("enterprise not found") from None


def can_register_enterprise(user) -> bool:
    return user.is_active and user.role in (Role.COUNTY_OFFICE, Role.TOWN)


def can_edit_enterprise(user, enterprise) -> bool:
    """County office edits any registry entry; a town official edits those of their town."""
    if not user.is_active:
        return False
    if user.role == Role.COUNTY_OFFICE:
        return True
    return user.role == Role.TOWN and enterprise.town_id == user.organisation_id


# --- statutory duties and self-assessment ------------------------------------------------


def can_maintain_duties(user, enterprise) -> bool:
    """An enterprise's own manager maintains its duty records and self-assessment."""
    return user.is_active and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise.pk


def can_follow_up(user) -> bool:
    """Government roles that see compliance summaries and not-submitted lists."""
    return user.is_active and (user.sees_whole_county or user.role in (Role.TOWN, Role.DEPARTMENT))


def can_review_assessment(user, enterprise) -> bool:
    """The county office, the enterprise's town, or a department supervising its industry."""
    if not user.is_active:
        return False
    if user.role == Role.COUNTY_OFFICE:
        return True
    if user.role == Role.TOWN:
        return enterprise.town_id == user.organisation_id
    if user.role == Role.DEPARTMENT:
        return (
            industries_supervised_by(user.organisation_id)
            .filter(industry_id=enterprise.industry_id)
            .exists()
        )
    return False


def get_assessment_for_user(user, pk):
    """The self-assessment `pk` if `user` may see its enterprise, else 404."""
    from enterprises.models import SelfAssessment

    try:
        return SelfAssessment.objects.visible_to(user).with_list_relations().get(pk=pk)
    except (SelfAssessment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("assessment not found") from None
