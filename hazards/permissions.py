"""The one door to hazards and risk points, and who may take which step.

Visibility reuses `enterprise_scope` (a department also sees the hazards it supervises on
an assignment slip). Voided hazards stay visible to the county office and leaders only.
`refusal(user, hazard, step)` returns None when the user may take the step, else the reason
(translated); services raise StepForbidden with it, pages hide the forms the user cannot use.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from enterprises.permissions import NOTHING, enterprise_scope
from safetyportal.accounts.models import Role


def enterprise_q(user, prefix: str = "enterprise") -> Q:
    """Rows whose `prefix` enterprise the user may see (a subquery on Enterprise)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.sees_whole_county:
        return Q()
    return Q(**{f"{prefix}__in": Enterprise.objects.filter(enterprise_scope(user)).values("pk")})


def hazard_scope(user) -> Q:
    from hazards.models import HazardStatus

    q = enterprise_q(user)
    if q == NOTHING or (user.is_authenticated and user.sees_whole_county):
        return q
    if user.role == Role.TOWN:
        # the ledger keeps where the hazard was found (Hazard.town), not where the
        # enterprise is registered today: a move does not hand the hazard to another town
        q = Q(town_id=user.organisation_id) if user.organisation_id else NOTHING
    if user.role == Role.DEPARTMENT and user.organisation_id:
        q |= Q(slip__supervising_unit_id=user.organisation_id)
    return q & ~Q(status=HazardStatus.VOIDED)


def get_hazard_for_user(user, pk, *, for_update: bool = False):
    """The hazard `pk` if `user` may see it, else 404 (no existence leak)."""
    from hazards.models import Hazard

    queryset = Hazard.objects.filter(pk__in=Hazard.objects.visible_to(user).values("pk"))
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    else:
        queryset = queryset.select_related("enterprise", "town", "industry")
    try:
        return queryset.get(pk=pk)
    except (Hazard.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("hazard not found") from None


def get_risk_point_for_user(user, pk):
    from hazards.models import RiskPoint

    try:
        return RiskPoint.objects.visible_to(user).select_related("enterprise").get(pk=pk)
    except (RiskPoint.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("risk point not found") from None


# --- who may do what ---------------------------------------------------------------------

STAFF_ROLES = (Role.COUNTY_OFFICE, Role.TOWN, Role.DEPARTMENT)


def _in_scope(user, enterprise) -> bool:
    return Enterprise.objects.filter(enterprise_scope(user), pk=enterprise.pk).exists()


def _own_enterprise(user, hazard) -> bool:
    return user.role == Role.ENTERPRISE and user.enterprise_id == hazard.enterprise_id


def _own_town(user, hazard) -> bool:
    return user.role == Role.TOWN and user.organisation_id == hazard.town_id


def _staff_in_scope(user, hazard) -> bool:
    if user.role == Role.COUNTY_OFFICE or _own_town(user, hazard):
        return True
    if user.role == Role.DEPARTMENT:
        supervising = getattr(getattr(hazard, "slip", None), "supervising_unit_id", None)
        return supervising == user.organisation_id or _in_scope(user, hazard.enterprise)
    return False


def _took_part_in_rectification(user, hazard) -> bool:
    """Whether `user` recorded a progress entry or uploaded rectification evidence for
    `hazard`: such a person may not verify it (independent verification)."""
    from hazards.models import AttachmentKind, HazardAttachment, ProgressEntry

    if ProgressEntry.objects.filter(hazard_id=hazard.pk, recorded_by=user).exists():
        return True
    return HazardAttachment.objects.filter(
        hazard_id=hazard.pk,
        uploaded_by=user,
        kind__in=(AttachmentKind.EVIDENCE, AttachmentKind.PROGRESS),
    ).exists()


def can_report_for(user, enterprise) -> bool:
    """Who may enter a hazard for `enterprise` (enterprises their own, staff in scope)."""
    if not user.is_active or user.is_read_only:
        return False
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk
    if user.role in (*STAFF_ROLES, Role.EXPERT):
        return _in_scope(user, enterprise)
    return False


def can_report(user) -> bool:
    return user.is_active and user.role in (*STAFF_ROLES, Role.ENTERPRISE, Role.EXPERT)


def refusal(user, hazard, step: str) -> str | None:
    """None if `user` may take `step` on `hazard` (role and jurisdiction only), else why."""
    if not user.is_active or user.is_read_only:
        return _("您的账号只能查看，不能办理隐患。")
    major = hazard.is_major
    if step in ("start", "progress"):
        if _own_enterprise(user, hazard) or _staff_in_scope(user, hazard):
            return None
        return _("只有隐患单位或属地、行业监管人员可以登记整改。")
    if step == "submit":
        if _own_enterprise(user, hazard) or _own_town(user, hazard):
            return None
        if not major and _staff_in_scope(user, hazard):
            return None
        return _("只有隐患单位（责任单位）或属地镇街可以提交整改或申请销号。")
    if step in ("verify_pass", "verify_fail"):
        if user.role == Role.ENTERPRISE:
            return _("企业不能核查自己的整改，须由镇街或部门核查。")
        allowed = (
            (user.role == Role.COUNTY_OFFICE or _own_town(user, hazard))
            if major
            else _staff_in_scope(user, hazard)
        )
        if not allowed:
            if major:
                return _("重大隐患只能由隐患所在镇街或县安委办现场核查。")
            return _("只能核查本辖区、本行业的隐患。")
        if hazard.submitted_by_id == user.pk:
            return _("核查人不能是提交整改或申请销号的人，请由其他人员核查。")
        if _took_part_in_rectification(user, hazard):
            return _("核查人不能是登记过整改进展或上传过整改证据的人，请由其他人员核查。")
        return None
    if step in ("determine", "assign", "decide_extension", "void", "accountability"):
        if user.role == Role.COUNTY_OFFICE:
            return None
        return _("只有县安委办可以办理此项（认定、交办、延期审批、作废、问责）。")
    if step == "request_extension":
        if _own_enterprise(user, hazard) or _own_town(user, hazard):
            return None
        return _("只有隐患单位或属地镇街可以申请延期。")
    return _("未知的操作。")


def can_generate_bulletin(user) -> bool:
    return user.is_active and user.role == Role.COUNTY_OFFICE


def can_view_bulletins(user) -> bool:
    return user.is_active and (user.sees_whole_county or user.role in (Role.TOWN, Role.DEPARTMENT))


def can_edit_risk_points(user, enterprise) -> bool:
    """Enterprises maintain their own register; the county office may correct it."""
    if not user.is_active:
        return False
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk
    return user.role == Role.COUNTY_OFFICE
