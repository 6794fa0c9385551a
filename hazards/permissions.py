"""The one door to hazards, their child records and risk points, and the rules: who may do
what to which record, and if not, why.

Visibility reuses `enterprise_scope` (a department also sees the hazards it supervises on
an assignment slip). Voided hazards stay visible to the county office and leaders only.
`refusal(user, obj, action)` is the app's single rules function: None when the user may,
else the reason (translated). Pages show the reason, services raise StepForbidden with it,
the workflow kit (hazards/workflow.py) hides the steps a user cannot take. Role names are
compared here and nowhere else in the app.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from enterprises.permissions import NOTHING, enterprise_scope
from hazards.models import (
    AssignmentSlip,
    AttachmentKind,
    Bulletin,
    Hazard,
    HazardAttachment,
    HazardClass,
    HazardQuerySet,
    HazardStatus,
    MajorHazardListing,
    ProgressEntry,
    RiskPoint,
    RiskPointQuerySet,
    Verification,
)
from safetyportal.accounts.models import Role, User

# --- who sees which rows -----------------------------------------------------------------


def enterprise_q(user, prefix: str = "enterprise") -> Q:
    """Rows whose `prefix` enterprise the user may see (a subquery on Enterprise)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.sees_whole_county:
        return Q()
    return Q(**{f"{prefix}__in": Enterprise.objects.filter(enterprise_scope(user)).values("pk")})


def hazard_scope(user) -> Q:
    q = enterprise_q(user)
    if q == NOTHING or (user.is_authenticated and user.sees_whole_county):
        return q
    if user.role == Role.TOWN:
        # the ledger keeps where the hazard was found (Hazard.town), not where the
        # enterprise is registered today: a move does not hand the hazard to another town
        q = Q(town_id=user.organisation_id) if user.organisation_id else NOTHING
    if user.role == Role.DEPARTMENT and user.organisation_id:
        # a semi-join, not a LEFT JOIN on the slip: the ledger's walk down its
        # (found_on, id) index stays an index scan (docs/decisions/0014)
        supervised = AssignmentSlip.objects.filter(supervising_unit_id=user.organisation_id)
        q |= Q(pk__in=supervised.values("hazard_id"))
    return q & ~Q(status=HazardStatus.VOIDED)


def install_scopes() -> None:
    """Hazard.objects.visible_to / RiskPoint.objects.visible_to use these scopes; called
    from HazardsConfig.ready (models never import this module: no import cycle)."""
    HazardQuerySet.scope = staticmethod(hazard_scope)
    RiskPointQuerySet.scope = staticmethod(enterprise_q)


def _visible_hazards(user):
    return Hazard.objects.visible_to(user).values("pk")


def _through(prefix: str, q: Q) -> Q:
    """`q` (lookups on a hazard) applied through the foreign key `prefix` of another model:
    Q(status="x") becomes Q(hazard__status="x"); subqueries stay subqueries."""
    through = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            through.children.append(_through(prefix, child))
        else:
            lookup, value = child
            through.children.append((f"{prefix}__{lookup}", value))
    return through


def hazards_joined_scope(user, prefix: str = "hazard") -> Q:
    """The hazards `user` sees, as conditions on the joined hazard of a model with a
    one-to-one or foreign key `prefix` to Hazard. The same rows as
    `Q(hazard__in=<visible hazards>)`, but the list can walk its own order's index and
    look each hazard up by its key (docs/decisions/0014), instead of PostgreSQL hashing
    every visible hazard of a city's 600,000 to show 50."""
    return _through(prefix, hazard_scope(user))


def _one(queryset: QuerySet, pk, *, for_update: bool, what: str):
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(f"{what} not found") from None


def get_hazard_for_user(user, pk, *, for_update: bool = False) -> Hazard:
    """The hazard `pk` if `user` may see it, else 404 (no existence leak).

    Read: one query, with its enterprise, town, industry, list entry and slip loaded.
    For update: the hazard row alone, locked (the caller's transaction)."""
    queryset = Hazard.objects.filter(pk__in=_visible_hazards(user))
    if not for_update:
        queryset = queryset.select_related(
            "enterprise",
            "town",
            "industry",
            "listing",
            "slip",
            "slip__supervising_unit",
            "slip__assigning_unit",
        )
    return _one(queryset, pk, for_update=for_update, what="hazard")


def attachments_visible_to(user) -> QuerySet[HazardAttachment]:
    return HazardAttachment.objects.filter(hazard__in=_visible_hazards(user))


def get_attachment_for_user(user, pk, *, for_update: bool = False) -> HazardAttachment:
    return _one(attachments_visible_to(user), pk, for_update=for_update, what="attachment")


def progress_entries_visible_to(user) -> QuerySet[ProgressEntry]:
    return ProgressEntry.objects.filter(hazard__in=_visible_hazards(user))


def get_progress_entry_for_user(user, pk, *, for_update: bool = False) -> ProgressEntry:
    return _one(
        progress_entries_visible_to(user).select_related("hazard", "recorded_by")
        if not for_update
        else progress_entries_visible_to(user),
        pk,
        for_update=for_update,
        what="progress entry",
    )


def listings_visible_to(user) -> QuerySet[MajorHazardListing]:
    # A listing is made only by 认定 (determine_major), which makes its hazard major for
    # good: no transition leads back. Restating the class lets PostgreSQL walk the major
    # hazards' index for a department's scope instead of hashing all 600,000 hazards.
    return MajorHazardListing.objects.filter(
        hazards_joined_scope(user), hazard__hazard_class=HazardClass.MAJOR
    )


def get_listing_for_user(user, pk, *, for_update: bool = False) -> MajorHazardListing:
    queryset = listings_visible_to(user)
    if not for_update:
        queryset = queryset.select_related("hazard", "hazard__enterprise")
    return _one(queryset, pk, for_update=for_update, what="major hazard listing")


def bulletins_visible_to(user) -> QuerySet[Bulletin]:
    """Bulletins cover the whole county: those who may read bulletins see them all."""
    if refusal(user, None, "view_bulletins"):
        return Bulletin.objects.none()
    return Bulletin.objects.all()


def get_bulletin_for_user(user, pk, *, for_update: bool = False) -> Bulletin:
    return _one(bulletins_visible_to(user), pk, for_update=for_update, what="bulletin")


def get_risk_point_for_user(user, pk, *, for_update: bool = False) -> RiskPoint:
    queryset = RiskPoint.objects.visible_to(user)
    if not for_update:
        queryset = queryset.select_related("enterprise")
    return _one(queryset, pk, for_update=for_update, what="risk point")


# --- who may do what ---------------------------------------------------------------------

STAFF_ROLES = (Role.COUNTY_OFFICE, Role.TOWN, Role.DEPARTMENT)


def _in_scope(user, enterprise) -> bool:
    # asked once per enterprise and request: a page checks several steps on one hazard
    answers = user.__dict__.setdefault("_hazards_enterprise_in_scope", {})
    if enterprise.pk not in answers:
        answers[enterprise.pk] = Enterprise.objects.filter(
            enterprise_scope(user), pk=enterprise.pk
        ).exists()
    return answers[enterprise.pk]


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


def _submitted_a_round(user, hazard) -> bool:
    """Whether `user` submitted any round of `hazard`'s rectification (or applied to close
    it): the current round is `submitted_by`, each earlier round ended in a verification
    that kept its submitter (`Verification.submitted_by`)."""
    if hazard.submitted_by_id == user.pk:
        return True
    cached = getattr(hazard, "_prefetched_objects_cache", {}).get("verifications")
    if cached is not None:
        return any(v.submitted_by_id == user.pk for v in cached)
    return Verification.objects.filter(hazard_id=hazard.pk, submitted_by=user).exists()


def _took_part_in_rectification(user, hazard) -> bool:
    """Whether `user` recorded a progress entry or uploaded rectification evidence for
    `hazard`: such a person may not verify it (independent verification)."""
    cache = getattr(hazard, "_prefetched_objects_cache", {})
    if "progress_entries" in cache and "attachments" in cache:  # the detail page loaded them
        return any(e.recorded_by_id == user.pk for e in cache["progress_entries"]) or any(
            a.uploaded_by_id == user.pk
            and a.kind in (AttachmentKind.EVIDENCE, AttachmentKind.PROGRESS)
            for a in cache["attachments"]
        )
    if ProgressEntry.objects.filter(hazard_id=hazard.pk, recorded_by=user).exists():
        return True
    return HazardAttachment.objects.filter(
        hazard_id=hazard.pk,
        uploaded_by=user,
        kind__in=(AttachmentKind.EVIDENCE, AttachmentKind.PROGRESS),
    ).exists()


def _hazard_refusal(user, hazard, step: str) -> str | None:
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
        if _submitted_a_round(user, hazard):
            return _("核查人不能是提交过整改或申请过销号的人（含此前各轮），请由其他人员核查。")
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
    if step == "explain":
        if _own_enterprise(user, hazard) or _own_town(user, hazard):
            return None
        return _("书面说明由隐患单位（责任单位）或属地镇街向交办单位提交。")
    return _("未知的操作。")


HAZARD_STEPS = {
    "start",
    "progress",
    "submit",
    "verify_pass",
    "verify_fail",
    "determine",
    "assign",
    "decide_extension",
    "void",
    "accountability",
    "request_extension",
    "explain",
}


def refusal(user, obj, action: str) -> str | None:
    """None if `user` may do `action` to `obj`, else why (translated).

    Actions: the hazard steps (obj: the hazard; role and jurisdiction only, the state is
    the workflow's business); "report" (obj: None for the page, or the enterprise);
    "edit_risk_points" (obj: the enterprise); "generate_bulletin", "view_bulletins",
    "view_interviews" (obj: None)."""
    if user is None or not user.is_authenticated:
        return _("请先登录。")
    if action == "supervise":
        # 督办 is the leaders' own step (they only read otherwise) and the county office's
        if user.is_active and user.role in (Role.LEADER, Role.COUNTY_OFFICE):
            return None
        return _("只有县领导和县安委办可以督办。")
    if action in HAZARD_STEPS:
        if not user.is_active or user.is_read_only:
            return _("您的账号只能查看，不能办理隐患。")
        return _hazard_refusal(user, obj, action)
    if not user.is_active:
        return _("您的账号已停用。")
    if action == "report":
        if obj is None:
            if user.is_read_only or user.role not in (*STAFF_ROLES, Role.ENTERPRISE, Role.EXPERT):
                return _("您没有登记隐患的权限。")
            return None
        allowed = not user.is_read_only and (
            user.enterprise_id == obj.pk
            if user.role == Role.ENTERPRISE
            else user.role in (*STAFF_ROLES, Role.EXPERT) and _in_scope(user, obj)
        )
        return None if allowed else _("您不能为该企业登记隐患：只能登记本单位或本辖区企业的隐患。")
    if action == "edit_risk_points":
        # enterprises maintain their own register; the county office may correct it
        if user.role == Role.ENTERPRISE and user.enterprise_id == getattr(obj, "pk", None):
            return None
        if user.role == Role.COUNTY_OFFICE and isinstance(obj, Enterprise):
            return None
        return _("只有企业本身或县安委办可以维护该企业的风险点。")
    if action == "generate_bulletin":
        return None if user.role == Role.COUNTY_OFFICE else _("只有县安委办可以生成通报。")
    if action == "view_bulletins":
        if user.sees_whole_county or user.role in (Role.TOWN, Role.DEPARTMENT):
            return None
        return _("您没有查看通报的权限。")
    if action == "view_interviews":
        if user.sees_whole_county:
            return None
        return _("只有县安委办和县领导可以查看拟约谈名单。")
    return _("未知的操作。")


def may(user, action: str, obj=None) -> bool:
    return refusal(user, obj, action) is None


# kept for callers and templates that want a yes/no
def can_report(user) -> bool:
    return may(user, "report")


def can_report_for(user, enterprise) -> bool:
    return may(user, "report", enterprise)


def can_generate_bulletin(user) -> bool:
    return may(user, "generate_bulletin")


def can_view_bulletins(user) -> bool:
    return may(user, "view_bulletins")


def can_edit_risk_points(user, enterprise) -> bool:
    return may(user, "edit_risk_points", enterprise)


# --- facts about a user the app's pages and services need (roles stay in this module) -----


def is_enterprise_user(user) -> bool:
    """An enterprise's own account: reports only its self-checks, and is not notified of
    what it reported itself."""
    return user.role == Role.ENTERPRISE


def own_enterprise_id(user) -> int | None:
    """The enterprise an enterprise account acts for (None for everyone else)."""
    return user.enterprise_id if user.role == Role.ENTERPRISE else None


def is_official(user) -> bool:
    """County office, town and department officials: those who verify rectification."""
    return user.role in STAFF_ROLES


def assigns_hazards(user) -> bool:
    """The county office: determines hazards 重大, assigns them and decides extensions (its
    to-do card lists what waits for that)."""
    return user.role == Role.COUNTY_OFFICE


# Who sees each of the app's home-page cards (hazards/cards.py): the card registry's
# audience is a rule like any other, so it is declared here with the roles.
CARD_AUDIENCES: dict[str, tuple[str, ...]] = {
    "todo": (Role.COUNTY_OFFICE, Role.LEADER, Role.DEPARTMENT, Role.TOWN, Role.ENTERPRISE),
}


def may_add_risk_points_from_list(user, enterprise_id) -> bool:
    """The risk list offers "add": to an enterprise for its own register, to the county
    office from an enterprise's register (?enterprise=<id>)."""
    return own_enterprise_id(user) is not None or (
        user.role == Role.COUNTY_OFFICE and bool(enterprise_id)
    )


# --- who hears about what ----------------------------------------------------------------


def enterprise_users(hazard: Hazard):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=hazard.enterprise_id)


def town_users(hazard: Hazard):
    return User.objects.filter(role=Role.TOWN, organisation_id=hazard.town_id, is_active=True)


def county_users():
    return User.objects.filter(role=Role.COUNTY_OFFICE, is_active=True)
