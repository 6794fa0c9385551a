"""Reminders of the duty lists' items (责任清单事项) with a deadline: each pending item is
told to its unit's accounts once in the REMIND_DAYS before its deadline and once when it
has passed (the dedupe key names the item, the stage and the deadline, so a changed
deadline is told again). Set-based: one query for the items, one for the accounts, one
notify_bulk per batch."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from responsibilities.duty_models import DutyItem, DutyItemStatus
from safetyportal.accounts.models import User
from safetyportal.notifications.services import Notice, notify_bulk

REMIND_DAYS = 7
BATCH_SIZE = 5000


def send_duty_item_reminders(today: datetime.date) -> int:
    """Notify the owning units of pending items due within REMIND_DAYS or overdue; the
    count of new notices (none on a second run)."""
    horizon = today + datetime.timedelta(days=REMIND_DAYS)
    items = list(
        DutyItem.objects.filter(
            status=DutyItemStatus.PENDING, deadline__isnull=False, deadline__lte=horizon
        )
        .order_by("pk")
        .values_list("pk", "duty_list_id", "duty_list__owner_id", "content", "deadline")
    )
    if not items:
        return 0
    prefix = reverse("responsibilities:duty_list", args=[0])[:-2]
    created = 0
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start : start + BATCH_SIZE]
        accounts: dict[int, list[User]] = {}
        for user in User.objects.filter(
            is_active=True, organisation_id__in={owner for _p, _l, owner, _c, _d in batch}
        ).only("pk", "is_active", "email", "email_frequency", "organisation_id"):
            accounts.setdefault(user.organisation_id, []).append(user)
        notices = []
        for pk, list_id, owner_id, content, deadline in batch:
            overdue = deadline < today
            stage = "overdue" if overdue else "due"
            title = (
                _("责任清单事项已逾期（时限 %(day)s）：%(content)s")
                if overdue
                else _("责任清单事项将于 %(day)s 到期：%(content)s")
            ) % {"day": deadline.isoformat(), "content": " ".join(content.split())[:60]}
            notices += [
                Notice(
                    recipient=user,
                    title=title,
                    url=f"{prefix}{list_id}/",
                    dedupe_key=f"duty-item:{pk}:{stage}:{deadline.isoformat()}",
                    kind="duty_item",
                )
                for user in accounts.get(owner_id, ())
            ]
        with transaction.atomic():
            created += notify_bulk(notices)
    return created
