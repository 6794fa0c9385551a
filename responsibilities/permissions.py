"""The rules of the responsibilities app: who may see the county's organisation, and who
sees each of the app's home-page cards. Role names are compared here and nowhere else in
the app (its lists and reminders are open to every signed-in user)."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from responsibilities.interview_models import Interview, InterviewQuerySet
from safetyportal.accounts.models import Role

_OFFICIALS = (Role.COUNTY_OFFICE, Role.LEADER, Role.DEPARTMENT, Role.TOWN)


class Action(StrEnum):
    VIEW_ORGANISATIONS = "view_organisations"  # the organisation tree (public-sector only)


def refusal(user, action: Action | str) -> str | None:
    """None when `user` may do `action`, else why not (translated)."""
    action = Action(action)
    if action == Action.VIEW_ORGANISATIONS:
        if user.is_superuser or user.role in _OFFICIALS:
            return None
        return _("该页面仅对机关用户开放。")
    raise ValueError(f"unknown action {action!r}")  # a programming error, not a refusal


def require(user, action: Action | str) -> None:
    """Raise PermissionDenied with the reason when `user` may not do `action`."""
    reason = refusal(user, action)
    if reason is not None:
        raise PermissionDenied(reason)


# Who sees each of the app's home-page cards (responsibilities/cards.py): the card
# registry's audience is a rule like any other, so it is declared here with the roles.
CARD_AUDIENCES: dict[str, tuple[str, ...]] = {
    "enforcement_powers": (Role.TOWN,),
    "latest_reminder": tuple(Role.values),
    "department_assignments": (Role.DEPARTMENT,),
}


# --- Duty lists (责任及工作任务清单, issue 11 item 1) --------------------------------------
# The county office and leaders see every unit's list; a department or town sees its own;
# enterprises and experts none. The county office writes lists; a unit's own officials
# (not leaders, who only read) mark its items done.


def duty_lists_visible_to(user, queryset=None):
    from responsibilities.duty_models import DutyList

    queryset = DutyList.objects.all() if queryset is None else queryset
    if not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role in (Role.COUNTY_OFFICE, Role.LEADER):
        return queryset
    if user.role in (Role.DEPARTMENT, Role.TOWN) and user.organisation_id:
        return queryset.filter(owner_id=user.organisation_id)
    return queryset.none()


def duty_refusal(user, duty_list, action: str) -> str | None:
    """None when `user` may do `action` ("view", "manage", "mark_done", "reopen") on
    `duty_list`: the unit's own officials mark done; the county office (which checks the
    evidence) or the unit itself (to correct a mistake) reopens a done item."""
    if not user.is_authenticated or not user.is_active:
        return _("请先登录。")
    if action == "manage":
        if user.is_superuser or user.role == Role.COUNTY_OFFICE:
            return None
        return _("只有县安委办可以编制责任清单。")
    if action == "view":
        if user.is_superuser or user.role in _OFFICIALS:
            return None
        return _("该页面仅对机关用户开放。")
    if action == "mark_done":
        if user.role != Role.LEADER and user.organisation_id == duty_list.owner_id:
            return None
        return _("只有责任单位的工作人员可以标记完成。")
    if action == "reopen":
        if user.is_superuser or user.role == Role.COUNTY_OFFICE:
            return None
        if user.role != Role.LEADER and user.organisation_id == duty_list.owner_id:
            return None
        return _("只有县安委办或责任单位可以退回已完成的事项。")
    raise ValueError(f"unknown action {action!r}")


def get_duty_list_for_user(user, pk: int):
    from django.shortcuts import get_object_or_404

    reason = duty_refusal(user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    return get_object_or_404(duty_lists_visible_to(user).select_related("owner"), pk=pk)


def get_duty_item_for_user(user, pk):
    """One duty item within the user's duty lists (404 outside them or for an id that is
    not a number, 403 for non-officials), with its list and the list's owner."""
    from responsibilities.duty_models import DutyItem

    reason = duty_refusal(user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    try:
        return (
            DutyItem.objects.filter(duty_list__in=duty_lists_visible_to(user))
            .select_related("duty_list", "duty_list__owner")
            .get(pk=pk)
        )
    except (DutyItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- 约谈 records (responsibilities/interview_*.py) ---------------------------------------
# The county office drafts, records and closes interviews; leaders read all; a department
# or town reads those where it is the summoned unit; enterprises and experts see none.

INTERVIEW_ACTIONS = ("create", "hold", "close")


def interview_scope(user) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.role in (Role.COUNTY_OFFICE, Role.LEADER):
        return Q()
    if user.role in (Role.DEPARTMENT, Role.TOWN) and user.organisation_id:
        return Q(summoned_unit_id=user.organisation_id)
    return Q(pk__in=[])


def install_scopes() -> None:
    """Interview.objects.visible_to uses interview_scope, AppraisalResult.objects.visible_to
    appraisal_result_scope; called from ResponsibilitiesConfig.ready (models never import
    this module: no import cycle)."""
    from responsibilities.appraisal_models import AppraisalResultQuerySet

    InterviewQuerySet.scope = staticmethod(interview_scope)
    AppraisalResultQuerySet.scope = staticmethod(appraisal_result_scope)


def interview_refusal(user, interview: Interview | None, action: str) -> str | None:
    """Why `user` may not `action` an interview (None: may): the county office acts."""
    if action not in INTERVIEW_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated or not user.is_active:
        return _("请先登录。")
    if user.role == Role.LEADER:
        return _("县级领导只能查看约谈记录，不能修改。")
    if user.is_superuser or user.role == Role.COUNTY_OFFICE:
        if action == "create" and not user.organisation_id:
            return _("您的账号未归属任何单位，不能以单位名义约谈。")
        return None
    return _("约谈由县安委办组织和登记。")


def may_list_interviews(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in _OFFICIALS)


def get_interview_for_user(user, pk) -> Interview:
    try:
        return (
            Interview.objects.visible_to(user)
            .select_related("summoning_unit", "summoned_unit", "created_by")
            .get(pk=pk)
        )
    except (Interview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- 专委会 and their meetings (responsibilities/committee_*.py, issue 11 item 3) ---------
# Officials read every committee's page; the county office and the officials of the
# committee's lead (牵头) unit record its meetings (leaders only read); enterprises and
# experts see nothing.


def committee_refusal(user, committee, action: str) -> str | None:
    """Why `user` may not `action` ("view", "record_meeting") `committee` (None: may)."""
    if action not in ("view", "record_meeting"):
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated or not user.is_active:
        return _("请先登录。")
    if action == "view":
        if user.is_superuser or user.role in _OFFICIALS:
            return None
        return _("该页面仅对机关用户开放。")
    if user.is_superuser or user.role == Role.COUNTY_OFFICE:
        return None
    if (
        user.role in (Role.DEPARTMENT, Role.TOWN)
        and user.organisation_id
        and committee is not None
        and committee.memberships.filter(member_id=user.organisation_id, is_lead=True).exists()
    ):
        return None
    return _("只有县安委办或专委会牵头单位可以记录专委会会议。")


def get_committee_for_user(user, pk):
    from django.shortcuts import get_object_or_404

    from responsibilities.models import Organisation

    reason = committee_refusal(user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    return get_object_or_404(Organisation.objects.committees(), pk=pk)


# --- Supervision map (行业监管责任划分, responsibilities/map_*.py, issue 11 item 2) -----------
# Every official reads every year's map; enterprises and experts do not.


def supervision_map_refusal(user) -> str | None:
    if user.is_authenticated and user.is_active and (user.is_superuser or user.role in _OFFICIALS):
        return None
    return _("该页面仅对机关用户开放。")


# --- Year-end appraisal (述职评议, responsibilities/appraisal_*.py, issue 11 item 5) -------
# The county office runs the round (opens it, edits the scheme, recomputes, publishes) and
# reviews every result; the officials of a committee's lead unit review the results the
# committee appraises; a unit's own officials see their computed draft and comment on it;
# leaders read everything and approve or send back; enterprises and experts see nothing.

APPRAISAL_ACTIONS = (
    "view",
    "manage",
    "comment",
    "adjust",
    "recompute",
    "submit",
    "approve",
    "send_back",
    "publish",
)


def _lead_committees(organisation_id):
    from responsibilities.models import CommitteeMembership

    return CommitteeMembership.objects.filter(member_id=organisation_id, is_lead=True).values(
        "committee_id"
    )


def appraisal_result_scope(user) -> Q:
    from responsibilities.appraisal_models import ResultStatus

    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.role in (Role.COUNTY_OFFICE, Role.LEADER):
        return Q()
    if user.role in (Role.DEPARTMENT, Role.TOWN) and user.organisation_id:
        own = Q(unit_id=user.organisation_id) & ~Q(status=ResultStatus.COMPUTING)
        return own | Q(appraiser_id__in=_lead_committees(user.organisation_id))
    return Q(pk__in=[])


def _reviews(user, result) -> bool:
    if user.is_superuser or user.role == Role.COUNTY_OFFICE:
        return True
    # a committee's lead unit reviews the members' results, never its own
    return bool(
        user.role in (Role.DEPARTMENT, Role.TOWN)
        and user.organisation_id
        and result is not None
        and result.unit_id != user.organisation_id
        and result.appraiser.memberships.filter(
            member_id=user.organisation_id, is_lead=True
        ).exists()
    )


def appraisal_refusal(user, result, action: str) -> str | None:
    """Why `user` may not `action` on an appraisal `result` (None: may). "view" and
    "manage" are about the appraisal pages and the round, `result` may be None."""
    if action not in APPRAISAL_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated or not user.is_active:
        return _("请先登录。")
    if action == "view":
        if user.is_superuser or user.role in _OFFICIALS:
            return None
        return _("该页面仅对机关用户开放。")
    if action in ("manage", "recompute", "publish"):
        if user.is_superuser or user.role == Role.COUNTY_OFFICE:
            return None
        return _("年度考核由县安委办组织。")
    if action == "comment":
        if (
            user.role in (Role.DEPARTMENT, Role.TOWN)
            and result is not None
            and user.organisation_id == result.unit_id
        ):
            return None
        return _("只有被考核单位的工作人员可以提交自评意见。")
    if action in ("adjust", "submit"):
        if user.role != Role.LEADER and _reviews(user, result):
            return None
        return _("只有考核单位（县安委办或专委会牵头单位）可以评审打分。")
    # approve, send_back
    if user.is_superuser or user.role == Role.LEADER:
        return None
    return _("考核结果由县级领导审定。")


def get_appraisal_result_for_user(user, pk):
    from responsibilities.appraisal_models import AppraisalResult

    reason = appraisal_refusal(user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    try:
        return (
            AppraisalResult.objects.visible_to(user)
            .select_related("unit", "appraiser", "round", "round__scheme")
            .get(pk=pk)
        )
    except (AppraisalResult.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def appraisal_report_results(user) -> Q:
    """The appraisal results whose stored report a town or department official reads
    (ADR 0047): their own unit's once published, and those they review as a committee's
    lead unit. Leaders and the county office read every report (the reports' own door)."""
    from responsibilities.appraisal_models import ResultStatus

    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.role in (Role.COUNTY_OFFICE, Role.LEADER):
        return Q()
    if user.role in (Role.DEPARTMENT, Role.TOWN) and user.organisation_id:
        own = Q(unit_id=user.organisation_id, status=ResultStatus.PUBLISHED)
        # a reviewer reads its members' reports at any time, its own only once published
        reviewed = Q(appraiser_id__in=_lead_committees(user.organisation_id)) & ~Q(
            unit_id=user.organisation_id
        )
        return own | reviewed
    return Q(pk__in=[])
