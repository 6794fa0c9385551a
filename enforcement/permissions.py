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

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from enforcement.cases.models import Case, CaseQuerySet
from enforcement.inspections.models import Finding, FindingPhoto, Inspection, InspectionQuerySet
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

# --- plans and pairings ------------------------------------------------------------------

# --- inspections -------------------------------------------------------------------------


def _in_units(user, inspection) -> bool:
    """Is `user` an official of the inspection's unit or of one of its joint units?"""
    unit = acting_unit_id(user)
    if unit is None:
        return False
    if inspection.unit_id == unit:
        return True
    return Inspection.joint_units.through.objects.filter(
        inspection_id=inspection.pk, organisation_id=unit
    ).exists()


def inspection_refusal(user, action: str, inspection=None) -> str | None:
    """None if `user` may do `action` (to `inspection`), else why.

    Actions: "log" (a new inspection, obj None); "edit", "submit" (the draft: the logging
    unit's officials); "to_hazard" (a finding of a submitted inspection becomes a hazard:
    officials of the unit or a joint unit); "view_unfollowed" (the 只检查不执法 page)."""
    if not _active(user):
        return _("请先登录。")
    if action == "view_unfollowed":
        if user.sees_whole_county or is_enforcement_official(user):
            return None
        return _("只有执法单位、县安委办和县领导可以查看只检查不执法情况。")
    if user.is_read_only or not is_enforcement_official(user):
        return _("只有镇街和部门的执法人员可以登记执法检查。")
    if action == "log":
        return None
    if inspection is None:
        return _("未知的操作。")
    if action in ("edit", "submit"):
        if inspection.unit_id != acting_unit_id(user):
            return _("只有检查单位（%(unit)s）的人员可以修改或提交该检查记录。") % {
                "unit": inspection.unit
            }
        return None
    if action == "to_hazard":
        if not _in_units(user, inspection):
            return _("只有参加该次检查的单位可以将发现的问题转为隐患。")
        return None
    return _("未知的操作。")


def may_inspect(user, action: str, inspection=None) -> bool:
    return inspection_refusal(user, action, inspection) is None


def unfollowed_scope(user) -> Q:
    """The units whose 只检查不执法 rows `user` sees: all for the county, else its own."""
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    unit = acting_unit_id(user)
    return Q(unit_id=unit) if unit else NOTHING


def get_finding_for_user(user, pk, *, for_update: bool = False) -> Finding:
    queryset = Finding.objects.filter(
        inspection__in=Inspection.objects.visible_to(user).values("pk")
    ).select_related("inspection", "inspection__enterprise", "inspection__unit")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_finding_photo_for_user(user, pk) -> FindingPhoto:
    visible = Inspection.objects.visible_to(user).values("pk")
    try:
        return FindingPhoto.objects.filter(finding__inspection__in=visible).get(pk=pk)
    except (FindingPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- cases -------------------------------------------------------------------------------

# --- accidents and exposure --------------------------------------------------------------
