"""The escalation ladder for hazards whose deadline is near or past (mission.md §3).

Level 0: nothing sent. 1: reminder to the enterprise (responsible person) a few days before
the deadline. 2: the town, 3: the supervising department, 4: the county office, which gets
a drafted 约谈 list. A run climbs at most one level per hazard, claiming the level with a
conditional UPDATE, and notify() deduplicates on (recipient, key): running twice sends
nothing new. An approved extension resets the level (the key includes the deadline).
Each claimed level writes one audit event ("hazard.escalated") in the claim's transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from hazards.models import RUNNING_STATUSES, EscalationGap, Hazard
from responsibilities.models import SupervisionAssignment, SupervisionMap
from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_event
from safetyportal.notifications.services import notify

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


def _record_gaps(hazard: Hazard, level: int, delivered_to: int | None) -> None:
    """One row per level that reached nobody (once per deadline: re-runs add nothing)."""
    for missing in range(level, delivered_to or COUNTY + 1):
        EscalationGap.objects.get_or_create(
            hazard=hazard,
            level=missing,
            deadline=hazard.deadline,
            defaults={"delivered_to_level": delivered_to},
        )


def run_escalation(today: datetime.date) -> int:
    """Climb one level for each hazard that is due; returns how many levels were claimed."""
    horizon = today + datetime.timedelta(days=settings.HAZARD_REMINDER_DAYS_BEFORE)
    candidates = (
        Hazard.objects.filter(status__in=RUNNING_STATUSES, deadline__lte=horizon)
        .filter(Q(escalation_level__lt=COUNTY))
        .select_related("enterprise", "town", "slip")
        .order_by("pk")
    )
    claimed = 0
    for hazard in candidates.iterator(chunk_size=500):
        current = hazard.escalation_level
        if target_level(hazard, today) <= current:
            continue
        level = current + 1
        # claim and notify together: if sending fails, the claim is rolled back and the
        # next run tries this step again (the dedupe key still stops a second notice)
        with transaction.atomic():
            won = Hazard.objects.filter(
                pk=hazard.pk, escalation_level=current, status__in=RUNNING_STATUSES
            ).update(escalation_level=level)
            if not won:
                continue  # another run claimed this step
            title, body = _message(hazard, level, today)
            url = reverse("hazards:detail", args=[hazard.pk])
            key = f"hazard:{hazard.pk}:escalation:{level}:{hazard.deadline.isoformat()}"
            # a level nobody can receive (no account, no users) is not done: the notice
            # falls through to the next level that has someone, and the gap is listed
            delivered, recipients = level, list(recipients_for(hazard, level))
            while not recipients and delivered < COUNTY:
                delivered += 1
                recipients = list(recipients_for(hazard, delivered))
            if delivered != level or not recipients:
                _record_gaps(hazard, level, delivered if recipients else None)
                body += f"\n（{LEVEL_LABELS[level]}无人接收，改送{LEVEL_LABELS[delivered]}。）"
            for user in recipients:
                notify(recipient=user, title=title, body=body, url=url, dedupe_key=key)
            # the hazard's timeline shows every reminder and escalation (one per level)
            note = f"{LEVEL_LABELS[level]}：{title}（通知 {len(recipients)} 人）"
            if delivered != level:
                note += f"；该级无人接收，已改送{LEVEL_LABELS[delivered]}"
            record_event(
                actor=None,
                verb="hazard.escalated",
                target=hazard,
                payload={"level": level, "delivered_to": delivered, "note": note},
            )
        claimed += 1
    return claimed
