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

# --- plans and pairings ------------------------------------------------------------------

# --- inspections -------------------------------------------------------------------------

# --- cases -------------------------------------------------------------------------------
# Who acts on a case: the officials of the unit that handles it (办案单位), town or
# department. The county office (安委办) sees every case but does not act: it is no
# administrative-penalty authority (行政处罚法 Art. 17/18), so a department's case is handled
# by the department. Leaders read; an enterprise reads its own cases (docs/decisions/0022).


def case_create_refusal(user) -> str | None:
    """May `user` open a case (in the name of their unit)?"""
    if not is_enforcement_official(user):
        return _("只有镇街或部门的执法人员可以办理行政处罚案件。")
    return None


def case_refusal(user, case: Case) -> str | None:
    """May `user` take a step on `case` (already visible to them)?"""
    if not is_enforcement_official(user):
        if _active(user) and user.role == Role.ENTERPRISE:
            return _("企业只能查看本企业的案件，不能办理。")
        return _("只有办案单位的执法人员可以办理本案。")
    if case.unit_id != user.organisation_id:
        return _("本案由%(unit)s办理，其他单位不能办理。") % {"unit": case.unit.name}
    return None


def officer_choices(user):
    """The people `user` may name as officers on a case: their unit's active officials."""
    from safetyportal.accounts.models import User

    unit_id = acting_unit_id(user)
    if unit_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=unit_id, role__in=(Role.TOWN, Role.DEPARTMENT), is_active=True
    ).order_by("display_name", "pk")


def case_officers_to_remind(case_ids):
    """(case_id, user) for the named officers of the cases, active ones only."""
    through = Case.officers.through
    return through.objects.filter(case_id__in=case_ids, user__is_active=True).select_related("user")


# --- accidents and exposure --------------------------------------------------------------
