"""Reminders of an enterprise's dated duties: special-operation certificates (expiry and
复审), emergency-plan evaluation (every 3 years) and drills (yearly, or every 6 months).

Set-based on the stored compliance results (ADR 0012), which the nightly recheck keeps
current: the rows of those checks that are due soon or expired are read in batches of
enterprises, their accounts in one query per batch, and one notify_bulk call per batch
writes the notices. The dedupe key names the enterprise, the check, the state and the
stored message (which names the certificate, plan or drill and its date), so each
situation is told once, and told again only when it changes (due soon, then expired)."""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.duties.judging import recheck_due
from enterprises.duties.models import Check, ComplianceStatus, Status
from enterprises.permissions import manager_accounts
from safetyportal.notifications.services import Notice, notify_bulk

DATED_CHECKS = (Check.CERTIFICATES, Check.PLANS, Check.DRILLS)
REMINDED = (Status.DUE_SOON, Status.EXPIRED)
BATCH_SIZE = 2000


def _key(enterprise_id: int, duty: str, status: str, message: str) -> str:
    digest = hashlib.sha1(message.encode()).hexdigest()[:12]
    return f"duty-expiry:{enterprise_id}:{duty}:{status}:{digest}"


def send_duty_reminders(today: datetime.date) -> int:
    """Notify the accounts of each enterprise with a certificate, plan evaluation or drill
    due soon or overdue; the count of new notices (none on a second run)."""
    # the results as of `today` (the nightly recheck's work, done here if it has not run)
    recheck_due(today=today)
    rows = ComplianceStatus.objects.filter(duty__in=DATED_CHECKS, status__in=REMINDED)
    enterprise_ids = sorted(set(rows.values_list("enterprise_id", flat=True)))
    labels = dict(Check.choices)
    states = {Status.DUE_SOON: _("即将到期"), Status.EXPIRED: _("已过期")}
    detail = reverse("enterprises:detail", args=[0])[:-2]  # once, not per notice
    created = 0
    for start in range(0, len(enterprise_ids), BATCH_SIZE):
        batch = enterprise_ids[start : start + BATCH_SIZE]
        found: dict[int, list[tuple[str, str, str]]] = {}
        for enterprise_id, duty, status, message in rows.filter(
            enterprise_id__in=batch
        ).values_list("enterprise_id", "duty", "status", "message"):
            found.setdefault(enterprise_id, []).append((duty, status, message))
        accounts = manager_accounts(batch).only(
            "pk", "is_active", "email", "email_frequency", "enterprise_id"
        )
        notices = []
        for user in accounts:
            url = f"{detail}{user.enterprise_id}/"
            for duty, status, message in found.get(user.enterprise_id, ()):
                notices.append(
                    Notice(
                        recipient=user,
                        title=_("%(check)s%(state)s，请及时办理")
                        % {"check": labels[duty], "state": states[status]},
                        body=message,
                        url=url,
                        dedupe_key=_key(user.enterprise_id, duty, status, message),
                        kind="duty_expiry",
                    )
                )
        with transaction.atomic():
            created += notify_bulk(notices)
    return created
