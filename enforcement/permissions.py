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

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.db.models.lookups import In
from django.http import Http404
from django.utils.translation import gettext as _

from enforcement.accidents.models import Accident, AccidentQuerySet
from enforcement.authority.models import DelegatedItem, OfficerCertificate, TownAuthorisation
from enforcement.cases.models import Case, CaseQuerySet
from enforcement.exposure.models import ExposedCase, ExposedCaseQuerySet
from enforcement.inspections.models import (
    Finding,
    FindingPhoto,
    Inspection,
    InspectionQuerySet,
    InspectionStatus,
)
from enforcement.plans.models import GuidanceVisit, InspectionPlan, PlanTarget, TownPairing
from enterprises.permissions import NOTHING
from responsibilities.models import (
    TOWN_LEVEL_KINDS,
    OrganisationKind,
    industries_supervised_by,
)
from safetyportal.accounts.models import Role, User

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
        # the inspections of itself once submitted: a draft is not yet a record
        if not user.enterprise_id:
            return NOTHING
        return Q(enterprise_id=user.enterprise_id, status=InspectionStatus.SUBMITTED)
    if user.role in (Role.TOWN, Role.DEPARTMENT) and user.organisation_id:
        org = user.organisation_id
        joint = Inspection.joint_units.through.objects.filter(organisation_id=org)
        q = Q(unit_id=org) | Q(_IdAmong(F("pk"), joint.values("inspection_id")))
        if user.role == Role.TOWN:
            q |= Q(town_id=org)
        return q
    return NOTHING


class _IdAmong(In):
    """`id IN (subquery)`, written `id = ANY(ARRAY(subquery))` on PostgreSQL (ADR 0026).

    In an OR, `id IN (subquery)` is a hashed subplan the planner can neither estimate (it
    guesses half the table) nor use an index for: the inspection list walked every
    inspection in date order testing each, reading the whole table for a department with
    few inspections. The array is computed once (an InitPlan), estimated small, and looked
    up in the primary key, so the planner can combine the OR's branches with a BitmapOr
    when the unit's rows are few and walk the date index when they are many."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def unit_record_scope(user, *, department_also: Callable[[int], Q]) -> Q:
    """The scope shared by the records a unit makes about an enterprise (cases,
    accidents): the county office and leaders see all; an enterprise its own; a town what
    it made and what happened on its territory; a department what it made and
    `department_also(its id)`."""
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
    if user.role == Role.TOWN and user.organisation_id:
        return Q(unit_id=user.organisation_id) | Q(town_id=user.organisation_id)
    if user.role == Role.DEPARTMENT and user.organisation_id:
        return Q(unit_id=user.organisation_id) | department_also(user.organisation_id)
    return NOTHING


def case_scope(user) -> Q:
    """A department also reads the cases towns decide in its name on the items it
    delegates: it supervises them and answers for them (行政处罚法 Art. 20)."""

    def delegated_by(org: int) -> Q:
        items = DelegatedItem.objects.filter(delegating_department_id=org)
        return Q(item_id__in=items.values("pk"))

    return unit_record_scope(user, department_also=delegated_by)


def filters_hidden_from(user) -> tuple[str, ...]:
    """The unit and town filters of the enforcement lists mean nothing to an enterprise
    (its own records only); the town filter nothing to a town official (its own town)."""
    if _active(user) and user.role == Role.ENTERPRISE:
        return ("unit", "town")
    if _active(user) and user.role == Role.TOWN:
        return ("town",)
    return ()


def install_scopes() -> None:
    """Inspection.objects.visible_to / Case.objects.visible_to use these scopes; called from
    EnforcementConfig.ready (models never import this module: no import cycle)."""
    InspectionQuerySet.scope = staticmethod(inspection_scope)
    CaseQuerySet.scope = staticmethod(case_scope)
    AccidentQuerySet.scope = staticmethod(accident_scope)
    ExposedCaseQuerySet.scope = staticmethod(exposure_scope)


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
CARD_AUDIENCES: dict[str, tuple[str, ...]] = {
    "overview": (Role.COUNTY_OFFICE, Role.LEADER),
    "accidents": (Role.COUNTY_OFFICE, Role.LEADER),
}

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

# Plans: a unit (town or department) makes and keeps its own plan; the county office and
# leaders see every unit's; enterprises and experts none. Pairings (一对一包联): the county
# office keeps them; the paired chief records visits; the county office, leaders, the town
# and the chief see them.


def sees_plans(user) -> bool:
    return _active(user) and (user.sees_whole_county or is_enforcement_official(user))


def plan_scope(user) -> Q:
    """InspectionPlan rows `user` may see (PlanTarget: through `plan__`)."""
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    unit_id = acting_unit_id(user)
    return Q(unit_id=unit_id) if unit_id else NOTHING


def planning_units_scope(user) -> Q:
    """Organisation rows whose plan progress `user` may see."""
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    unit_id = acting_unit_id(user)
    return Q(pk=unit_id) if unit_id else NOTHING


def plan_refusal(user, unit_id: int | None) -> str | None:
    """None when `user` may write the plan (and its targets) of `unit_id`, else why not."""
    if not _active(user):
        return _("您的账号已停用或未登录。")
    own = acting_unit_id(user)
    if own is None:
        return _("只有镇街和行业监管部门的执法人员可以制定检查计划。")
    if unit_id is not None and unit_id != own:
        return _("只能制定和修改本单位的检查计划。")
    return None


def unit_enterprise_scope(unit) -> Q:
    """Enterprise rows a unit may plan to inspect: a town its territory's, a department
    those of the industries it supervises."""
    if unit.kind in TOWN_LEVEL_KINDS:
        return Q(town_id=unit.pk)
    if unit.kind == OrganisationKind.DEPARTMENT:
        return Q(industry_id__in=industries_supervised_by(unit.pk))
    return NOTHING


def unit_officials(unit_id: int):
    """The active officials of a unit: who may be assigned a plan target."""
    return User.objects.filter(
        is_active=True, organisation_id=unit_id, role__in=(Role.TOWN, Role.DEPARTMENT)
    )


def get_plan_for_user(user, pk) -> InspectionPlan:
    try:
        return InspectionPlan.objects.filter(plan_scope(user)).select_related("unit").get(pk=pk)
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_plan_target_for_user(user, pk, *, for_update: bool = False) -> PlanTarget:
    queryset = PlanTarget.objects.filter(
        plan__in=InspectionPlan.objects.filter(plan_scope(user)).values("pk")
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.select_related("plan", "plan__unit", "enterprise", "assigned_to").get(pk=pk)
    except (PlanTarget.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sees_pairings(user) -> bool:
    return _active(user) and (
        user.sees_whole_county
        or (user.role in (Role.TOWN, Role.DEPARTMENT) and bool(user.organisation_id))
    )


def pairing_scope(user) -> Q:
    """TownPairing rows `user` may see (GuidanceVisit: through `pairing__`)."""
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if user.role == Role.TOWN and user.organisation_id:
        return Q(town_id=user.organisation_id)
    if user.role == Role.DEPARTMENT:
        return Q(chief_id=user.pk)
    return NOTHING


def pairing_refusal(user) -> str | None:
    """None when `user` may keep the pairings (the county office), else why not."""
    if is_county_office(user):
        return None
    return _("只有县安委办可以维护一对一包联安排。")


def chief_refusal(chief) -> str | None:
    """None when `chief` may be paired with a town (an active department official)."""
    if chief is not None and _active(chief) and chief.role == Role.DEPARTMENT:
        return None
    return _("包联负责人必须是县直部门的在岗人员。")


def chief_candidates():
    """Who may be paired with a town: active department officials."""
    return User.objects.filter(is_active=True, role=Role.DEPARTMENT).select_related("organisation")


def visit_refusal(user, pairing: TownPairing) -> str | None:
    """None when `user` may record a guidance visit under `pairing` (its chief)."""
    if _active(user) and user.pk == pairing.chief_id:
        return None
    return _("只有该镇街的包联负责人可以登记指导记录。")


def get_pairing_for_user(user, pk, *, for_update: bool = False) -> TownPairing:
    queryset = TownPairing.objects.filter(pairing_scope(user))
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.select_related("town", "chief").get(pk=pk)
    except (TownPairing.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_visit_for_user(user, pk) -> GuidanceVisit:
    try:
        return (
            GuidanceVisit.objects.filter(
                pairing__in=TownPairing.objects.filter(pairing_scope(user)).values("pk")
            )
            .select_related("pairing", "pairing__town", "pairing__chief")
            .get(pk=pk)
        )
    except (GuidanceVisit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


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


def case_officers_to_remind(case_ids):
    """(case_id, user) for the named officers of the cases, active ones only."""
    through = Case.officers.through
    return through.objects.filter(case_id__in=case_ids, user__is_active=True).select_related("user")


# --- accidents and exposure --------------------------------------------------------------

# Accidents: towns and departments report those on their territory or in their sector; the
# county office sees and manages all (it runs the investigation for the county government);
# leaders read; an enterprise reads its own; experts see none.


def accident_scope(user) -> Q:
    """A department also reads the accidents in the industries it supervises."""
    return unit_record_scope(
        user, department_also=lambda org: Q(industry_id__in=industries_supervised_by(org))
    )


def reports_accidents(user) -> bool:
    """Towns, departments and the county office enter accident reports."""
    return is_county_office(user) or is_enforcement_official(user)


def accident_town_pinned(user) -> int | None:
    """A town reports the accidents on its own territory only."""
    return user.organisation_id if _active(user) and user.role == Role.TOWN else None


def sees_all_town_statistics(user) -> bool:
    return _active(user) and user.sees_whole_county


def accident_statistics_refusal(user) -> str | None:
    if (
        not _active(user)
        or user.role in (Role.ENTERPRISE, Role.EXPERT)
        or not (user.sees_whole_county or user.organisation_id)
    ):
        return _("事故统计仅供县安委办、县级领导、镇街和行业部门查看。")
    return None


ACCIDENT_ACTIONS = ("report", "supplement", "investigate", "extend", "submit_report", "decide")


def accident_refusal(user, accident: Accident | None, action: str) -> str | None:
    """Why `user` may not `action` (None: may). `report` takes no accident; 补报 is for the
    reporting unit or the county office; the investigation's steps for the county office."""
    if not _active(user):
        return _("请先登录。")
    if user.is_read_only:
        return _("县级领导只能查看事故信息，不能修改。")
    if action == "report":
        if reports_accidents(user) and not user.organisation_id:
            # the report is made in a unit's name (an administrator may have none)
            return _("您的账号未归属任何单位，不能以单位名义报告事故。")
        if reports_accidents(user):
            return None
        return _("只有镇街、行业部门和县安委办可以报告事故。")
    if is_county_office(user):
        return None
    if action == "supplement":
        if (
            is_enforcement_official(user)
            and accident is not None
            and accident.unit_id == user.organisation_id
        ):
            return None
        return _("只有报告单位或县安委办可以补报该事故的伤亡情况。")
    return _("事故调查处理由县安委办组织办理。")


def get_accident_for_user(user, pk) -> Accident:
    try:
        return (
            Accident.objects.visible_to(user)
            .select_related("unit", "town", "enterprise", "industry", "lead_unit", "recorded_by")
            .get(pk=pk)
        )
    except (Accident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# The exposure board (曝光台) and repeat offenders (屡罚不改), enforcement/exposure/ and
# enforcement/repeat_offenders.py. The public reads ExposedCase.objects.public() (a
# snapshot table, no door needed); everything else is for officials.


def sees_repeat_offenders(user) -> bool:
    """Officials who decide on penalties and closures see the flag and the penalty records
    behind it, for the enterprises they may see. An enterprise does not see its own flag:
    it is an input to the county's closure proposal (安全生产法 Art. 113), not a notice to
    the party, who already sees each of its own cases."""
    return _active(user) and (user.sees_whole_county or is_enforcement_official(user))


def exposure_scope(user) -> Q:
    """The county office and leaders read every exposure record (withdrawn too); the
    other officials read what is public; enterprises and experts read the public page."""
    if not _active(user):
        return NOTHING
    if user.sees_whole_county:
        return Q()
    if is_enforcement_official(user):
        return Q(withdrawn_at__isnull=True)
    return NOTHING


def exposure_refusal(user) -> str | None:
    """May `user` publish or withdraw cases on the exposure board? Only the county office
    (the county's safety committee office runs the board)."""
    if is_county_office(user):
        return None
    return _("只有县安委办可以公开或撤回曝光案件。")


def get_exposure_for_user(user, pk) -> ExposedCase:
    """One exposure record through exposure_scope (404 when out of scope)."""
    try:
        return ExposedCase.objects.visible_to(user).get(pk=pk)
    except (ExposedCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_public_exposure(pk, fields: tuple[str, ...]) -> ExposedCase:
    """The public page's door: a published, not withdrawn record, only `fields` read."""
    try:
        return ExposedCase.objects.public().only(*fields).get(pk=pk)
    except (ExposedCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
