from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from responsibilities.models import ReminderTopic, SafetyReminder
from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_event
from safetyportal.notifications.services import notify_many


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def pick_topic(day: datetime.date) -> ReminderTopic | None:
    """The week's topic: among the active topics for this month, rotate by week number."""
    topics = [t for t in ReminderTopic.objects.filter(is_active=True) if t.applies_in(day.month)]
    if not topics:
        return None
    return topics[day.isocalendar()[1] % len(topics)]


def publish_weekly_safety_reminder(*, day: datetime.date, actor=None) -> SafetyReminder | None:
    """Publish this ISO week's safety reminder to every active town official, once.

    A second call in the same week publishes nothing and notifies nobody.
    """
    week = iso_week(day)
    if SafetyReminder.objects.filter(week=week).exists():
        return None
    topic = pick_topic(day)
    if topic is None:
        return None
    try:
        with transaction.atomic():
            reminder = SafetyReminder.objects.create(week=week, title=topic.title, body=topic.body)
            sent = notify_many(
                recipients=User.objects.filter(is_active=True, role=Role.TOWN),
                title=f"安全提醒：{topic.title}",
                body=topic.body,
                url=reverse("responsibilities:reminders"),
                dedupe_key=f"safety-reminder:{week}",
                kind="safety_reminder",
            )
            reminder.recipients_count = sent
            reminder.save(update_fields=["recipients_count"])
            record_event(
                actor=actor,
                verb="reminder.published",
                target=reminder,
                payload={"week": week, "recipients": sent},
            )
    except IntegrityError:
        # another run published this week's reminder between our check and our insert
        return None
    return reminder
