"""The daily deadline reminders of open reports, set-based: one query finds the reports whose
accept, verify or feedback deadline falls within REPORT_REMIND_DAYS (or has passed), one
finds the handling units' officials, one notify_bulk writes the notices. The dedupe key
names the deadline, so each official is reminded once per deadline however often the task
runs. The notices are of kind `report_deadline` (enforcement/notice_kinds.py), so a person
may stop them reaching their e-mail; an overdue one stays a normal notice (the mission
makes no overdue report urgent, ADR 0034)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from enforcement.reports.models import Report, ReportStatus
from safetyportal.accounts.models import User
from safetyportal.notifications.services import Notice, notify_bulk

S = ReportStatus
KIND = "report_deadline"


def due_soon(today: datetime.date) -> list[tuple[int, int, str, str, datetime.date]]:
    """(report id, unit id, key, what, last day) for the deadlines within the horizon."""
    horizon = today + datetime.timedelta(days=settings.REPORT_REMIND_DAYS)
    rows = Report.objects.filter(
        Q(status=S.RECEIVED, accept_due__lte=horizon)
        | Q(status__in=[S.ACCEPTED, S.VERIFYING], verify_due__lte=horizon)
        | Q(status=S.VERIFIED, feedback_due__lte=horizon),
        unit__isnull=False,
    ).values_list("pk", "unit_id", "status", "accept_due", "verify_due", "feedback_due")
    found = []
    for pk, unit_id, status, accept_due, verify_due, feedback_due in rows:
        if status == S.RECEIVED:
            found.append((pk, unit_id, "accept", str(_("受理")), accept_due))
        elif status == S.VERIFIED:
            found.append((pk, unit_id, "feedback", str(_("反馈举报人")), feedback_due))
        else:
            found.append((pk, unit_id, "verify", str(_("核查")), verify_due))
    return found


def _remaining(pk: int, left: int) -> str:
    if left < 0:
        return _("举报编号 %(pk)s，已逾期 %(n)s 天。") % {"pk": pk, "n": -left}
    return _("举报编号 %(pk)s，剩余 %(n)s 天。") % {"pk": pk, "n": left}


def send_deadline_reminders(today: datetime.date) -> int:
    found = due_soon(today)
    if not found:
        return 0
    users: dict[int, list[User]] = {}
    for user in User.objects.filter(
        organisation_id__in={unit for _p, unit, *_r in found}, is_active=True
    ):
        users.setdefault(user.organisation_id, []).append(user)
    prefix = reverse("enforcement:report_detail", args=[0])[:-2]
    notices = [
        Notice(
            recipient=user,
            title=_("举报办理期限提醒：%(what)s最迟 %(day)s")
            % {"what": what, "day": day.isoformat()},
            body=_remaining(pk, (day - today).days),
            url=f"{prefix}{pk}/",
            dedupe_key=f"report:{pk}:{key}:{day.isoformat()}",
            kind=KIND,
            urgent=False,
        )
        for pk, unit, key, what, day in found
        for user in users.get(unit, [])
    ]
    with transaction.atomic():
        return notify_bulk(notices)
