"""The daily deadline reminders of open cases, set-based: three queries find the cases whose
decision (90 days after 立案), service (7 days after the decision) or payment (15 days after
service) falls due within REMIND_DAYS, one query finds their officers, one notify_bulk call
writes the notices. The dedupe key names the deadline, so each officer is reminded once per
deadline however often the task runs."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from enforcement import rules
from enforcement.authority.models import Procedure
from enforcement.cases.models import Case, CaseStatus, PenaltyKind
from enforcement.permissions import case_officers_to_remind
from safetyportal.notifications.services import Notice, notify_bulk

REMIND_DAYS = 7


def due_soon(today: datetime.date) -> dict[int, list[tuple[str, str, datetime.date]]]:
    """case id -> [(key, what, last day)] for the deadlines within REMIND_DAYS."""
    horizon = datetime.timedelta(days=REMIND_DAYS)
    found: dict[int, list[tuple[str, str, datetime.date]]] = {}
    decision = Case.objects.filter(
        procedure=Procedure.GENERAL,
        decided_on__isnull=True,
        status__in=(
            CaseStatus.FILED,
            CaseStatus.INVESTIGATING,
            CaseStatus.NOTIFIED,
            CaseStatus.HEARING,
        ),
        filed_on__gte=today - datetime.timedelta(days=rules.DECISION_DAYS),
        filed_on__lte=today - datetime.timedelta(days=rules.DECISION_DAYS) + horizon,
    ).values_list("pk", "filed_on")
    for pk, filed_on in decision:
        found.setdefault(pk, []).append(
            ("decision", _("作出处罚决定"), rules.decision_due(filed_on))
        )
    service = Case.objects.filter(
        status=CaseStatus.DECIDED,
        decided_on__gte=today - datetime.timedelta(days=rules.SERVICE_DAYS),
        decided_on__lte=today - datetime.timedelta(days=rules.SERVICE_DAYS) + horizon,
    ).values_list("pk", "decided_on")
    for pk, decided_on in service:
        found.setdefault(pk, []).append(
            (
                "service",
                _("送达处罚决定书"),
                decided_on + datetime.timedelta(days=rules.SERVICE_DAYS),
            )
        )
    payment = Case.objects.filter(
        status=CaseStatus.SERVED,
        penalty_kind=PenaltyKind.FINE,
        paid_on__isnull=True,
        payment_due__gte=today,
        payment_due__lte=today + horizon,
    ).values_list("pk", "payment_due")
    for pk, payment_due in payment:
        found.setdefault(pk, []).append(("payment", _("缴纳罚款"), payment_due))
    return found


def send_deadline_reminders(today: datetime.date) -> int:
    """Notify the officers of every case with a deadline within REMIND_DAYS; the count of
    new notices."""
    found = due_soon(today)
    if not found:
        return 0
    prefix = reverse("enforcement:case_detail", args=[0])[:-2]
    notices = []
    for link in case_officers_to_remind(found):
        for key, what, day in found[link.case_id]:
            notices.append(
                Notice(
                    recipient=link.user,
                    title=_("行政处罚案件期限提醒：%(what)s最迟 %(day)s")
                    % {"what": what, "day": day.isoformat()},
                    body=_("请在期限内办理（剩余 %(left)s 天）。") % {"left": (day - today).days},
                    url=f"{prefix}{link.case_id}/",
                    dedupe_key=f"case:{link.case_id}:{key}:{day.isoformat()}",
                    kind="case_deadline",
                )
            )
    with transaction.atomic():
        return notify_bulk(notices)
