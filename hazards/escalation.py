"""The escalation ladder for hazards whose deadline is near or past (mission.md §3).

Level 0: nothing sent. 1: reminder to the enterprise (responsible person) a few days before
the deadline. 2: the town, 3: the supervising department, 4: the county office, which gets
a drafted 约谈 list; for a major hazard the county level also drafts a 约谈 record
(responsibilities.interview_services.draft_interviews, once per hazard and deadline) and
tells the county office. A run climbs at most one level per hazard, claiming each level with a
conditional UPDATE (one per level and batch of hazards, not per hazard), and the notices
deduplicate on (recipient, key): running twice sends nothing new. An approved extension
resets the level (the key includes the deadline). Each claimed level writes one audit
event ("hazard.escalated") in the claim's transaction (ADR 0016: set-based sweeps).
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse

from hazards.models import RUNNING_STATUSES, EscalationGap, Hazard, HazardClass
from responsibilities.interview_models import InterviewReason
from responsibilities.interview_services import Draft, draft_interviews
from responsibilities.models import (
    Organisation,
    OrganisationKind,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_events
from safetyportal.notifications.services import Notice, notify_bulk

REMINDER, TOWN, DEPARTMENT, COUNTY = 1, 2, 3, 4
LEVEL_LABELS = {
    REMINDER: "到期提醒",
    TOWN: "逾期督办（镇街）",
    DEPARTMENT: "逾期督办（行业监管部门）",
    COUNTY: "逾期督办（县安委办，拟约谈）",
}


def target_level(hazard: Hazard, today: datetime.date) -> int:
    overdue_days = (today - hazard.deadline).days
    if overdue_days >= settings.HAZARD_ESCALATE_COUNTY_DAYS:
        return COUNTY
    if overdue_days >= settings.HAZARD_ESCALATE_DEPARTMENT_DAYS:
        return DEPARTMENT
    if overdue_days >= settings.HAZARD_ESCALATE_TOWN_DAYS:
        return TOWN
    if -overdue_days <= settings.HAZARD_REMINDER_DAYS_BEFORE:
        return REMINDER
    return 0


def recipients_for(hazard: Hazard, level: int):
    users = User.objects.filter(is_active=True)
    if level == REMINDER:
        return users.filter(role=Role.ENTERPRISE, enterprise_id=hazard.enterprise_id)
    if level == TOWN:
        return users.filter(role=Role.TOWN, organisation_id=hazard.town_id)
    if level == DEPARTMENT:
        slip = getattr(hazard, "slip", None)
        if slip is not None:
            return users.filter(role=Role.DEPARTMENT, organisation_id=slip.supervising_unit_id)
        current = SupervisionMap.objects.current()
        departments = SupervisionAssignment.objects.filter(
            supervision_map=current, industry_id=hazard.industry_id
        ).values("department_id")
        return users.filter(role=Role.DEPARTMENT, organisation_id__in=departments)
    return users.filter(role=Role.COUNTY_OFFICE)


def interview_draft(today: datetime.date) -> list[Hazard]:
    """The drafted 约谈 list: running hazards overdue long enough for the county level
    (HAZARD_ESCALATE_COUNTY_DAYS), or already escalated to it, most overdue first.

    The list follows the days overdue, not only the ladder's claimed level: the ladder
    climbs one level a day, so a hazard first seen (or loaded) 60 days overdue would
    otherwise stay off the list for days, and hazards whose daily task never ran (the
    demo) would never be on it."""
    county_line = today - datetime.timedelta(days=settings.HAZARD_ESCALATE_COUNTY_DAYS)
    return list(
        Hazard.objects.filter(status__in=RUNNING_STATUSES)
        .filter(Q(escalation_level__gte=COUNTY) | Q(deadline__lte=county_line))
        .select_related("enterprise", "town", "listing")
        .order_by("deadline", "pk")
    )


def escalation_gaps():
    """Running hazards whose ladder reached nobody at some level (oldest deadline first),
    for the county office to give the unit an account or the department its users."""
    return (
        EscalationGap.objects.filter(hazard__status__in=RUNNING_STATUSES)
        .select_related("hazard", "hazard__enterprise", "hazard__town")
        .order_by("hazard__deadline", "hazard_id", "level")
    )


def _message(hazard: Hazard, level: int, today: datetime.date) -> tuple[str, str]:
    enterprise = hazard.enterprise
    days = (today - hazard.deadline).days
    if level == REMINDER and days > 0:
        # first seen already overdue (entered late, or the task did not run): say so
        return (
            f"隐患整改已逾期 {days} 天：{enterprise.name} {hazard.location}"
            f"（期限 {hazard.deadline}）",
            f"请整改责任人{hazard.responsible_person}立即完成整改并提交证据；逾期未改将逐级督办。",
        )
    if level == REMINDER:
        return (
            f"隐患整改即将到期：{enterprise.name} {hazard.location}（期限 {hazard.deadline}）",
            f"请整改责任人{hazard.responsible_person}按期完成整改并提交证据。",
        )
    title = f"{LEVEL_LABELS[level]}：{enterprise.name} 隐患逾期 {days} 天"
    body = f"{hazard.description[:100]}\n整改期限 {hazard.deadline}，责任人 {hazard.responsible_person}。"
    if level == COUNTY:
        body += (
            "\n拟约谈名单（草稿）："
            f"{enterprise.name} 主要负责人 {enterprise.principal_name}"
            f"（{enterprise.principal_phone or '无电话'}），属地 {hazard.town.name}。"
        )
    return title, body


# hazards claimed per transaction: bounds the memory and the length of each transaction
# (a failure rolls back one batch's claims with its notices, audit events and gaps)
BATCH_SIZE = 2000
_URL_PK = 987654321987  # a placeholder pk no other part of the detail URL contains


def _latest_deadline(level: int, today: datetime.date) -> datetime.date:
    """The latest deadline whose hazard is due for `level` today: target_level() >= level.

    target_level() tries the levels from the top, so a hazard reaches `level` when it is
    overdue by the threshold of `level` or of any level above it (settings may be uneven)."""
    overdue_days = {
        REMINDER: -settings.HAZARD_REMINDER_DAYS_BEFORE,
        TOWN: settings.HAZARD_ESCALATE_TOWN_DAYS,
        DEPARTMENT: settings.HAZARD_ESCALATE_DEPARTMENT_DAYS,
        COUNTY: settings.HAZARD_ESCALATE_COUNTY_DAYS,
    }
    needed = min(days for step, days in overdue_days.items() if step >= level)
    return today - datetime.timedelta(days=needed)


def _due_for(level: int, today: datetime.date):
    """Running hazards one step below `level` whose deadline calls for it."""
    return Hazard.objects.filter(
        status__in=RUNNING_STATUSES,
        escalation_level=level - 1,
        deadline__lte=_latest_deadline(level, today),
    )


def _claim(level: int, today: datetime.date, ids: list[int]) -> list[int]:
    """Claim `level` for those of `ids` still due for it, in one UPDATE ... RETURNING.

    The rows are locked in id order (two runs never deadlock) and the conditions are
    checked again once locked: a concurrent run's claim of the same rows finds nothing
    left, as the per-hazard conditional UPDATE did."""
    locked = _due_for(level, today).filter(pk__in=ids).order_by("pk").select_for_update()
    inner, params = locked.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Hazard._meta.db_table)
    column = connection.ops.quote_name(Hazard._meta.get_field("escalation_level").column)
    pk = connection.ops.quote_name(Hazard._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE {pk} IN ({inner}) RETURNING {pk}",
            [level, *params],
        )
        return [row[0] for row in cursor.fetchall()]


def _group_users(users, field: str) -> dict[int, list[User]]:
    grouped: dict[int, list[User]] = {}
    for user in users:
        grouped.setdefault(getattr(user, field), []).append(user)
    return grouped


def recipients_by_hazard(hazards: list[Hazard], level: int) -> dict[int, list[User]]:
    """recipients_for() for many hazards at once: one query per kind of scope (the
    enterprises, the towns, the departments, the county office), not one per hazard."""
    users = User.objects.filter(is_active=True).order_by("pk")
    if level == REMINDER:
        by_enterprise = _group_users(
            users.filter(
                role=Role.ENTERPRISE, enterprise_id__in={h.enterprise_id for h in hazards}
            ),
            "enterprise_id",
        )
        return {h.pk: by_enterprise.get(h.enterprise_id, []) for h in hazards}
    if level == TOWN:
        by_town = _group_users(
            users.filter(role=Role.TOWN, organisation_id__in={h.town_id for h in hazards}),
            "organisation_id",
        )
        return {h.pk: by_town.get(h.town_id, []) for h in hazards}
    if level == DEPARTMENT:
        # a major hazard's slip names its supervising department; otherwise the current
        # supervision map's departments for the hazard's industry
        units: dict[int, list[int]] = {}
        by_industry: dict[int, list[int]] = {}
        mapped = [h for h in hazards if getattr(h, "slip", None) is None]
        if mapped:
            current = SupervisionMap.objects.current()
            assignments = SupervisionAssignment.objects.filter(
                supervision_map=current, industry_id__in={h.industry_id for h in mapped}
            ).values_list("industry_id", "department_id")
            for industry_id, department_id in assignments:
                by_industry.setdefault(industry_id, []).append(department_id)
        for hazard in hazards:
            slip = getattr(hazard, "slip", None)
            units[hazard.pk] = (
                [slip.supervising_unit_id]
                if slip is not None
                else by_industry.get(hazard.industry_id, [])
            )
        wanted = {unit for ids in units.values() for unit in ids}
        by_unit = _group_users(
            users.filter(role=Role.DEPARTMENT, organisation_id__in=wanted), "organisation_id"
        )
        return {
            pk: sorted(
                (user for unit in set(ids) for user in by_unit.get(unit, [])),
                key=lambda user: user.pk,
            )
            for pk, ids in units.items()
        }
    county = list(users.filter(role=Role.COUNTY_OFFICE))
    return {h.pk: county for h in hazards}


_NOTIFY_FIELDS = (
    "hazard_class",  # an overdue major hazard's notice is urgent
    "found_on",
    "deadline",
    "location",
    "description",
    "responsible_person",
    "industry",
    "enterprise__name",
    "enterprise__principal_name",
    "enterprise__principal_phone",
    "town__name",
    "slip__supervising_unit",
)


def _notify_claimed(ids: list[int], level: int, today: datetime.date) -> None:
    """The notices, gaps and audit events of the hazards just claimed at `level`, in
    bulk (the same rows the per-hazard ladder wrote, in a constant number of queries)."""
    hazards = list(
        Hazard.objects.filter(pk__in=ids)
        .select_related("enterprise", "town", "slip")
        # the columns the messages, the recipients and the audit labels read (a batch
        # of thousands builds its instances from these alone)
        .only(*_NOTIFY_FIELDS)
        .order_by("pk")
    )
    # a level nobody can receive (no account, no users) is not done: the notice falls
    # through to the next level that has someone, and the gap is listed
    delivered: dict[int, int] = {}
    recipients: dict[int, list[User]] = {}
    waiting, step = hazards, level
    while waiting:
        found = recipients_by_hazard(waiting, step)
        still = []
        for hazard in waiting:
            if found[hazard.pk] or step == COUNTY:
                delivered[hazard.pk], recipients[hazard.pk] = step, found[hazard.pk]
            else:
                still.append(hazard)
        waiting, step = still, step + 1

    # reverse() once per batch (per hazard it cost more than the rest of the message)
    detail_url = reverse("hazards:detail", args=[_URL_PK])
    notices: list[Notice] = []
    gaps: list[EscalationGap] = []
    events: list[tuple[Hazard, dict]] = []
    for hazard in hazards:
        to, users = delivered[hazard.pk], recipients[hazard.pk]
        title, body = _message(hazard, level, today)
        url = detail_url.replace(str(_URL_PK), str(hazard.pk))
        key = f"hazard:{hazard.pk}:escalation:{level}:{hazard.deadline.isoformat()}"
        if to != level or not users:
            # one row per level that reached nobody (once per deadline: re-runs add nothing)
            delivered_to = to if users else None
            gaps += [
                EscalationGap(
                    hazard=hazard,
                    level=missing,
                    deadline=hazard.deadline,
                    delivered_to_level=delivered_to,
                )
                for missing in range(level, delivered_to or COUNTY + 1)
            ]
            body += f"\n（{LEVEL_LABELS[level]}无人接收，改送{LEVEL_LABELS[to]}。）"
        # an overdue major hazard is urgent: e-mailed at once, not held for the digest
        urgent = hazard.is_major and level >= TOWN
        notices += [
            Notice(
                recipient=user,
                title=title,
                body=body,
                url=url,
                dedupe_key=key,
                kind="hazard",
                urgent=urgent,
            )
            for user in users
        ]
        # the hazard's timeline shows every reminder and escalation (one per level)
        note = f"{LEVEL_LABELS[level]}：{title}（通知 {len(users)} 人）"
        if to != level:
            note += f"；该级无人接收，已改送{LEVEL_LABELS[to]}"
        events.append((hazard, {"level": level, "delivered_to": to, "note": note}))
    EscalationGap.objects.bulk_create(gaps, ignore_conflicts=True)
    notify_bulk(notices)
    record_events(actor=None, verb="hazard.escalated", events=events)


def _interview_key(hazard: Hazard) -> str:
    # once per hazard, level and deadline: an approved extension starts a new ladder
    return f"hazard:{hazard.pk}:escalation:{COUNTY}:{hazard.deadline.isoformat()}"


def draft_interviews_for(ids: list[int], today: datetime.date) -> list:
    """The 约谈 drafts of the major hazards among `ids` just claimed at the county level
    (the county office summons the unit responsible for the rectification: the
    enterprise, its 主要负责人 named), linked to the hazard, and a notice to the county
    office for each; in a constant number of queries per batch. Idempotent: a hazard
    drafted at this level and deadline before is skipped (interview source keys)."""
    hazards = list(
        Hazard.objects.filter(pk__in=ids, hazard_class=HazardClass.MAJOR)
        .select_related("enterprise", "town", "slip")
        .only(
            "deadline",
            "location",
            "description",
            "enterprise__name",
            "enterprise__principal_name",
            "enterprise__principal_phone",
            "town__name",
            "slip__responsible_unit",
        )
        .order_by("pk")
    )
    if not hazards:
        return []
    office = (
        Organisation.objects.active()
        .filter(kind=OrganisationKind.OFFICE)
        .order_by("sort_order", "pk")
        .first()
    )
    if office is None:
        return []  # no 安委办 in the organisation tree: nobody to summon in its name
    drafts = []
    for hazard in hazards:
        enterprise = hazard.enterprise
        slip = getattr(hazard, "slip", None)
        days = (today - hazard.deadline).days
        drafts.append(
            Draft(
                source_key=_interview_key(hazard),
                reason_kind=InterviewReason.HAZARD_OVERDUE,
                reason_text=(
                    f"重大事故隐患逾期未整改：{enterprise.name} {hazard.location}，"
                    f"整改期限 {hazard.deadline}，已逾期 {days} 天。{hazard.description[:200]}"
                ),
                date=today,
                summoned_name=(slip.responsible_unit if slip else "") or enterprise.name,
                summoned_object=enterprise,
                reason_object=hazard,
                participants=(
                    f"{enterprise.principal_name}（主要负责人）"
                    if enterprise.principal_name
                    else ""
                ),
            )
        )
    created = draft_interviews(summoning_unit=office, drafts=drafts)
    if created:
        county = list(User.objects.filter(is_active=True, role=Role.COUNTY_OFFICE).order_by("pk"))
        detail = reverse("responsibilities:interview_detail", args=[_URL_PK])
        notify_bulk(
            Notice(
                recipient=user,
                title=f"已拟约谈：{interview.summoned_name}（重大隐患逾期）",
                body=interview.reason_text[:300],
                url=detail.replace(str(_URL_PK), str(interview.pk)),
                dedupe_key=f"interview:{interview.pk}:drafted",
            )
            for interview in created
            for user in county
        )
    return created


def run_escalation(today: datetime.date) -> int:
    """Climb one level for each hazard that is due; returns how many levels were claimed.

    Set-based: per level, the due hazards' ids are read once and claimed in batches, each
    batch in one transaction with one UPDATE and its notices, gaps and audit events
    written in bulk. The levels go from the top down, so a hazard claimed at one level is
    no longer one step below the next: a run climbs at most one level per hazard."""
    claimed = 0
    # the fault tests (tests/faults/) shrink the batches and pause after each one, so that a
    # worker can be killed between two committed batches; both settings are absent elsewhere
    batch_size = getattr(settings, "FAULT_TEST_ESCALATION_BATCH_SIZE", BATCH_SIZE)
    pause = getattr(settings, "FAULT_TEST_PAUSE_AFTER_BATCH_SECONDS", 0)
    for level in (COUNTY, DEPARTMENT, TOWN, REMINDER):
        due = list(_due_for(level, today).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(due), batch_size):
            # claim and notify together: if sending fails, the claims are rolled back and
            # the next run tries these steps again (the dedupe key stops a second notice)
            with transaction.atomic():
                won = _claim(level, today, due[start : start + batch_size])
                if won:
                    _notify_claimed(won, level, today)
                    if level == COUNTY:
                        draft_interviews_for(won, today)
            claimed += len(won)
            if pause:
                time.sleep(pause)
    return claimed
