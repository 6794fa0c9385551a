"""The doors and the rules of the enterprises app.

Doors: `Model.objects.visible_to(user)` for lists (scoped by `enterprise_scope`, in
enterprises/registry/scope.py) and one `get_<record>_for_user(user, pk, *, for_update=False)`
per record a URL or the API can name, returning the record with what its page and rules
read, in one query; 404 when out of scope (never 403: no existence leak).

Rules: `refusal(user, action, record=None)` answers "may `user` do `action` to `record`,
and if not, why" (a Chinese reason, or None). Pages show the reason or hide the button,
services call `require(...)`, which raises it. Nothing else in the app looks at a user's
role (the list scope in registry/scope.py aside).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from enterprises.assessment.models import AnswerEvidence, AssessmentAnswer, SelfAssessment
from enterprises.duties.models import DutyDocument
from enterprises.importing.models import ImportJob
from enterprises.registry.models import Enterprise
from enterprises.registry.scope import NOTHING, enterprise_scope
from responsibilities.models import industries_supervised_by
from safetyportal.accounts.models import Role, User
from safetyportal.workflow.errors import StepForbidden

__all__ = [
    "CARD_AUDIENCES",
    "NOTHING",
    "Action",
    "Forbidden",
    "require",
    "enterprise_scope",
    "get_answer_evidence_for_user",
    "get_assessment_answer_for_user",
    "get_assessment_for_user",
    "get_duty_document_for_user",
    "get_duty_record_for_user",
    "get_enterprise_for_user",
    "get_import_job_for_user",
    "manager_accounts",
    "may",
    "pinned_town_id",
    "refusal",
    "reviewer_accounts",
]


class Forbidden(StepForbidden, PermissionDenied):
    """A refused action: the workflow kit's StepForbidden (403 with the reason in the step
    views and the API), and Django's PermissionDenied so a plain view answers 403 too."""


class Action(StrEnum):
    REGISTER = "register"  # record: the Enterprise to register (unsaved) or None
    EDIT = "edit"  # record: Enterprise
    MOVE_TO_TOWN = "move_to_town"  # record: the town (Organisation) an enterprise moves to
    IMPORT = "import"  # the registry import and its template
    GRANT_EXPERT = "grant_expert"  # record: Enterprise
    RECEIVE_GRANT = "receive_grant"  # user: the expert to be granted
    ADD_DUTY = "add_duty"  # record: Enterprise
    VOID_DUTY = "void_duty"  # record: Enterprise
    FOLLOW_UP = "follow_up"  # the compliance and not-submitted lists
    START_ASSESSMENT = "start_assessment"  # record: Enterprise, or None (the user's own)
    FILL_ASSESSMENT = "fill_assessment"  # record: SelfAssessment (save a draft, submit)
    REVIEW_ASSESSMENT = "review_assessment"  # record: SelfAssessment (accept, return)
    RAISE_HAZARD = "raise_hazard"  # record: SelfAssessment (turn a failed item into a hazard)
    SUPERVISION_GAPS = "supervision_gaps"  # the 监管空白 list (county office, leaders, towns)


# --- who may do what --------------------------------------------------------------------


def _enterprise_of(record) -> Enterprise:
    return record if isinstance(record, Enterprise) else record.enterprise


def _manages(user, enterprise) -> bool:
    """The enterprise's own manager (an enterprise account of that enterprise)."""
    return user.role == Role.ENTERPRISE and user.enterprise_id == enterprise.pk


def _reviews(user, enterprise) -> bool:
    """The county office, the enterprise's town, or a department supervising its industry."""
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


def _follows_up(user) -> bool:
    return user.sees_whole_county or user.role in (Role.TOWN, Role.DEPARTMENT)


def _registers(user) -> bool:
    return user.role in (Role.COUNTY_OFFICE, Role.TOWN)


def pinned_town_id(user) -> int | None:
    """The town a user registers, imports and keeps enterprises in (a town official's
    own), or None when the user is not tied to one town."""
    return user.organisation_id if user.role == Role.TOWN else None


# Who sees each of the app's home-page cards (enterprises/cards.py): the card registry's
# audience is a rule like any other, so it is declared here with the roles.
_COUNTYWIDE = (Role.COUNTY_OFFICE, Role.LEADER)
CARD_AUDIENCES: dict[str, tuple[str, ...]] = {
    "county_figures": _COUNTYWIDE,
    "totals": (Role.DEPARTMENT, Role.TOWN),
    "profile": (Role.ENTERPRISE,),
    "todo": (*_COUNTYWIDE, Role.DEPARTMENT, Role.TOWN, Role.ENTERPRISE, Role.EXPERT),
    "towns": _COUNTYWIDE,
    "high_risk": (Role.TOWN,),
    "granted": (Role.EXPERT,),
}


def reviewer_accounts(enterprise):
    """The accounts told that the enterprise submitted its self-assessment: the active
    officials of its town."""
    return User.objects.filter(is_active=True, role=Role.TOWN, organisation_id=enterprise.town_id)


def manager_accounts(enterprises):
    """The active enterprise accounts of `enterprises` (a queryset of pks or instances)."""
    return User.objects.filter(is_active=True, role=Role.ENTERPRISE, enterprise__in=enterprises)


def refusal(user, action: Action | str, record=None) -> str | None:
    """None when `user` may do `action` to `record`, else why not (translated)."""
    action = Action(action)
    if user is None or not user.is_authenticated or not user.is_active:
        return _("您的账号已停用或未登录。")
    if action == Action.REGISTER:
        if not _registers(user):
            return _("您没有登记企业的权限。")
        if record is not None and pinned_town_id(user) not in (None, record.town_id):
            return _("镇街只能登记本镇街的企业。")
        return None
    if action == Action.IMPORT:  # record: a row's enterprise (unsaved), or None
        if not _registers(user):
            return _("您没有导入企业名录的权限。")
        if record is not None and pinned_town_id(user) not in (None, record.town_id):
            return _("镇街只能导入本镇街的企业。")
        return None
    if action == Action.EDIT:
        if user.role == Role.COUNTY_OFFICE:
            return None
        if user.role == Role.TOWN and record.town_id == user.organisation_id:
            return None
        return _("您没有修改该企业信息的权限。")
    if action == Action.MOVE_TO_TOWN:
        if pinned_town_id(user) not in (None, record.pk):
            return _("镇街不能把企业划到其他镇街，请联系县安委办。")
        return None
    if action == Action.GRANT_EXPERT:
        return None if user.role == Role.COUNTY_OFFICE else _("只有县安委办可以授权专家。")
    if action == Action.RECEIVE_GRANT:
        return None if user.role == Role.EXPERT else _("只能给专家账号授予单个企业的查看权限。")
    if action == Action.ADD_DUTY:
        if _manages(user, record):
            return None
        return _("只有本企业的管理人员可以填报法定职责记录。")
    if action == Action.VOID_DUTY:
        if _manages(user, record):
            return None
        return _("只有本企业的管理人员可以作废法定职责记录。")
    if action == Action.SUPERVISION_GAPS:
        if user.sees_whole_county or user.role == Role.TOWN:
            return None
        return _("监管空白清单供县安委办、县级领导和镇街使用。")
    if action == Action.FOLLOW_UP:
        return None if _follows_up(user) else _("该页面供监管部门和镇街使用。")
    if action == Action.START_ASSESSMENT:
        if user.role != Role.ENTERPRISE or user.enterprise_id is None:
            return _("只有企业用户可以开展自评。")
        if record is not None and not _manages(user, record):
            return _("只有本企业的管理人员可以开展自评。")
        return None
    if action == Action.FILL_ASSESSMENT:
        if _manages(user, _enterprise_of(record)):
            return None
        return _("只有本企业的管理人员可以填写自评。")
    if action == Action.REVIEW_ASSESSMENT:
        if _reviews(user, _enterprise_of(record)):
            return None
        return _("您不是该企业的审核单位。")
    if action == Action.RAISE_HAZARD:
        enterprise = _enterprise_of(record)
        if _reviews(user, enterprise) or _manages(user, enterprise):
            return None
        return _("只有审核单位或本企业可以把未达标项目转为隐患。")
    raise ValueError(f"unknown action {action!r}")  # a programming error, not a refusal


def may(user, action: Action | str, record=None) -> bool:
    """`refusal(...) is None`: for templates' flags and list filters."""
    return refusal(user, action, record) is None


def require(user, action: Action | str, record=None) -> None:
    """Raise `Forbidden` with the reason when `user` may not do `action` to `record`."""
    reason = refusal(user, action, record)
    if reason is not None:
        raise Forbidden(reason)


# --- doors ---------------------------------------------------------------------------------


def _one(queryset, pk, *, for_update: bool, what: str):
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(f"{what} not found") from None


def get_enterprise_for_user(user, pk, *, for_update: bool = False) -> Enterprise:
    """The enterprise `pk` with its town and industry, if `user` may see it, else 404."""
    return _one(
        Enterprise.objects.visible_to(user).with_list_relations(),
        pk,
        for_update=for_update,
        what="enterprise",
    )


def get_duty_record_for_user(user, model, pk, *, enterprise_id=None, for_update: bool = False):
    """The duty record `pk` of `model` (one of enterprises.duties.models' record types) with
    its enterprise, if `user` may see that enterprise, else 404. With `enterprise_id`, a
    record of another enterprise is "not found" too (URLs name the enterprise)."""
    queryset = model.objects.visible_to(user).with_enterprise()
    if enterprise_id is not None:
        queryset = queryset.filter(enterprise_id=enterprise_id)
    return _one(queryset, pk, for_update=for_update, what="duty record")


def get_duty_document_for_user(user, pk, *, enterprise_id=None, for_update: bool = False):
    """The duty document `pk` (its file is downloaded through this door)."""
    return get_duty_record_for_user(
        user, DutyDocument, pk, enterprise_id=enterprise_id, for_update=for_update
    )


def get_assessment_for_user(user, pk, *, for_update: bool = False) -> SelfAssessment:
    """The self-assessment `pk` with its enterprise, period and template, else 404."""
    return _one(
        SelfAssessment.objects.visible_to(user).fully_loaded(),
        pk,
        for_update=for_update,
        what="assessment",
    )


def get_assessment_answer_for_user(
    user, pk, *, assessment_id=None, for_update: bool = False
) -> AssessmentAnswer:
    """One answer with its assessment and enterprise, else 404; with `assessment_id`, an
    answer of another assessment is "not found" too."""
    queryset = AssessmentAnswer.objects.visible_to(user).fully_loaded()
    if assessment_id is not None:
        queryset = queryset.filter(assessment_id=assessment_id)
    return _one(queryset, pk, for_update=for_update, what="answer")


def get_answer_evidence_for_user(
    user, pk, *, assessment_id=None, for_update: bool = False
) -> AnswerEvidence:
    """One evidence file with its answer and assessment, else 404; with `assessment_id`,
    evidence of another assessment is "not found" too."""
    queryset = AnswerEvidence.objects.visible_to(user).fully_loaded()
    if assessment_id is not None:
        queryset = queryset.filter(answer__assessment_id=assessment_id)
    return _one(queryset, pk, for_update=for_update, what="evidence")


def get_import_job_for_user(user, pk, *, for_update: bool = False) -> ImportJob:
    """An import job of the user's own, else 404."""
    return _one(ImportJob.objects.visible_to(user), pk, for_update=for_update, what="import job")
