"""The one door to enforcement records, and the rules: who may do what to which record,
and if not, why. Role names are compared here and nowhere else in the app (the legal
limits that do not depend on the user are enforcement/rules.py).

Visibility: the county office and leaders see every unit's records; a town sees what it
did and what happened on its territory; a department sees what it did (alone or jointly);
an enterprise sees the inspections and cases about itself; experts see none.

Each sub-domain keeps its rules in its own section below (one section per area, so the
areas can grow without touching each other).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from enforcement.authority.models import DelegatedItem, OfficerCertificate, TownAuthorisation
from enforcement.cases.models import Case, CaseQuerySet
from enforcement.inspections.models import Inspection, InspectionQuerySet
from enterprises.permissions import NOTHING
from safetyportal.accounts.models import Role

# --- shared ------------------------------------------------------------------------------


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_enforcement_official(user) -> bool:
    """A town's or a department's official: the people who inspect and punish."""
    return (
        _active(user) and user.role in (Role.TOWN, Role.DEPARTMENT) and bool(user.organisation_id)
    )


def is_county_office(user) -> bool:
    return _active(user) and (user.is_superuser or user.role == Role.COUNTY_OFFICE)


def acting_unit_id(user) -> int | None:
    """The unit in whose name `user` inspects and punishes, or None."""
    return user.organisation_id if is_enforcement_official(user) else None


def inspection_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
    if user.role in (Role.TOWN, Role.DEPARTMENT) and user.organisation_id:
        org = user.organisation_id
        joint = Inspection.joint_units.through.objects.filter(organisation_id=org)
        q = Q(unit_id=org) | Q(pk__in=joint.values("inspection_id"))
        if user.role == Role.TOWN:
            q |= Q(town_id=org)
        return q
    return NOTHING


def case_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
    if user.role == Role.TOWN and user.organisation_id:
        return Q(unit_id=user.organisation_id) | Q(town_id=user.organisation_id)
    if user.role == Role.DEPARTMENT and user.organisation_id:
        return Q(unit_id=user.organisation_id)
    return NOTHING


def install_scopes() -> None:
    """Inspection.objects.visible_to / Case.objects.visible_to use these scopes; called from
    EnforcementConfig.ready (models never import this module: no import cycle)."""
    InspectionQuerySet.scope = staticmethod(inspection_scope)
    CaseQuerySet.scope = staticmethod(case_scope)


def get_inspection_for_user(user, pk) -> Inspection:
    try:
        return (
            Inspection.objects.visible_to(user)
            .select_related("unit", "enterprise", "town")
            .get(pk=pk)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_case_for_user(user, pk) -> Case:
    try:
        return (
            Case.objects.visible_to(user)
            .select_related("unit", "enterprise", "item", "town")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Who sees each of the app's home-page cards (enforcement/cards.py).
CARD_AUDIENCES: dict[str, tuple[str, ...]] = {}

# --- authority: items, authorisations, officers ------------------------------------------

AUTHORITY_ACTIONS = (
    "view_catalogue",
    "manage_catalogue",
    "view_authorisations",
    "manage_authorisations",
    "view_officers",
    "manage_certificates",
)


def authority_refusal(user, action: str) -> str | None:
    """None if `user` may do `action` (one of AUTHORITY_ACTIONS) on the legal frame's
    pages, else why. Reading is for officials (county office, leaders, departments,
    towns); keeping the catalogue, the delegations and the certificates is the county
    office's."""
    if not _active(user):
        return _("请先登录。")
    if action.startswith("view_"):
        if user.is_superuser or user.role in (Role.COUNTY_OFFICE, Role.LEADER):
            return None
        if user.role in (Role.TOWN, Role.DEPARTMENT) and user.organisation_id:
            return None
        return _("只有县安委办、县领导和各部门、镇街的工作人员可以查看执法主体资格信息。")
    if action in AUTHORITY_ACTIONS:
        if is_county_office(user):
            return None
        return _("委托执法事项、镇街委托授权和执法证由县安委办统一管理。")
    raise ValueError(f"unknown authority action {action!r}")


def require_authority(user, action: str) -> None:
    reason = authority_refusal(user, action)
    if reason:
        raise PermissionDenied(reason)


def may_authority(user, action: str) -> bool:
    return authority_refusal(user, action) is None


def authorisations_visible_to(user):
    """Delegations a user may read: all for the county office and leaders; a town its own;
    a department those that delegate at least one of its items."""
    queryset = TownAuthorisation.objects.all()
    if authority_refusal(user, "view_authorisations"):
        return queryset.none()
    if user.sees_whole_county:
        return queryset
    if user.role == Role.TOWN:
        return queryset.filter(town_id=user.organisation_id)
    # a department: one row per delegation however many of its items it holds
    ids = TownAuthorisation.items.through.objects.filter(
        delegateditem__delegating_department_id=user.organisation_id
    ).values("townauthorisation_id")
    return queryset.filter(pk__in=ids)


def get_authorisation_for_user(user, pk) -> TownAuthorisation:
    try:
        return authorisations_visible_to(user).select_related("town").get(pk=pk)
    except (TownAuthorisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def delegating_department_id(user) -> int | None:
    """A department official's unit (they read delegations through their own items)."""
    if _active(user) and not user.sees_whole_county and user.role == Role.DEPARTMENT:
        return user.organisation_id
    return None


def visible_item_filter(user) -> Q:
    """Of a delegation's items, those a user is shown: a department sees only its own."""
    department_id = delegating_department_id(user)
    return Q(delegating_department_id=department_id) if department_id else Q()


def authorisation_items_for(user, authorisation: TownAuthorisation):
    return authorisation.items.filter(visible_item_filter(user)).select_related(
        "delegating_department"
    )


def get_item_for_user(user, pk) -> DelegatedItem:
    if authority_refusal(user, "view_catalogue"):
        raise Http404
    try:
        return DelegatedItem.objects.select_related("delegating_department").get(pk=pk)
    except (DelegatedItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def certificate_scope(user) -> Q:
    """Certificates a user may read: all for the county office and leaders, a unit's own
    officers' for its officials."""
    if authority_refusal(user, "view_officers"):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    return Q(officer__organisation_id=user.organisation_id)


def certificates_visible_to(user):
    return OfficerCertificate.objects.filter(certificate_scope(user))


def get_certificate_for_user(user, pk) -> OfficerCertificate:
    try:
        return certificates_visible_to(user).select_related("officer").get(pk=pk)
    except (OfficerCertificate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_hold_certificate(user) -> bool:
    """Only town and department staff carry enforcement certificates here."""
    return is_enforcement_official(user)


# --- plans and pairings ------------------------------------------------------------------

# --- inspections -------------------------------------------------------------------------

# --- cases -------------------------------------------------------------------------------

# --- accidents and exposure --------------------------------------------------------------
