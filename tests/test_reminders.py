"""The weekly safety reminder (one per ISO week, each town official notified once) and the
periodic task schedules defined in safetyportal/core/schedules.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from responsibilities import services
from responsibilities.models import SafetyReminder
from responsibilities.tasks import publish_weekly_safety_reminder as reminder_task
from safetyportal.audit.models import AuditEvent
from safetyportal.core.schedules import PERIODIC_TASKS, ensure_periodic_tasks
from safetyportal.notifications.models import Notification
from tests.factories import ReminderTopicFactory, TownUserFactory

MONDAY = datetime.date(2026, 6, 1)  # ISO week 2026-W23
SUNDAY = datetime.date(2026, 6, 7)  # same ISO week
NEXT_MONDAY = datetime.date(2026, 6, 8)


@pytest.fixture
def topic(db):
    return ReminderTopicFactory(title="汛期安全", body="请加强汛期巡查。")


def reminder_notifications():
    return Notification.objects.filter(dedupe_key__startswith="safety-reminder:")


def test_reminder_notifies_every_active_town_official_once(
    topic, town_official, other_town_official, county_officer, enterprise_manager, outsider
):
    TownUserFactory(username="retired", organisation=town_official.organisation, is_active=False)
    reminder = services.publish_weekly_safety_reminder(day=MONDAY)
    assert reminder.week == "2026-W23"
    assert reminder.title == "汛期安全"
    assert reminder.recipients_count == 2
    recipients = set(reminder_notifications().values_list("recipient__username", flat=True))
    assert recipients == {"town_official", "other_town_official"}
    notification = town_official.notifications.get()
    assert notification.title == "安全提醒：汛期安全"
    assert notification.body == "请加强汛期巡查。"
    assert notification.url == reverse("responsibilities:reminders")


def test_reminder_is_audited(topic, town_official):
    reminder = services.publish_weekly_safety_reminder(day=MONDAY)
    event = AuditEvent.objects.for_object(reminder).get()
    assert event.verb == "reminder.published"
    assert event.actor is None
    assert event.payload == {"week": "2026-W23", "recipients": 1}


def test_a_second_run_in_the_same_week_creates_nothing(topic, town_official):
    services.publish_weekly_safety_reminder(day=MONDAY)
    assert services.publish_weekly_safety_reminder(day=MONDAY) is None
    assert services.publish_weekly_safety_reminder(day=SUNDAY) is None
    assert SafetyReminder.objects.count() == 1
    assert reminder_notifications().count() == 1


def test_next_week_publishes_again(topic, town_official):
    services.publish_weekly_safety_reminder(day=MONDAY)
    reminder = services.publish_weekly_safety_reminder(day=NEXT_MONDAY)
    assert reminder.week == "2026-W24"
    assert town_official.notifications.count() == 2


def test_no_applicable_topic_publishes_nothing(db, town_official):
    ReminderTopicFactory(months="12,1,2", title="冬季防火")
    ReminderTopicFactory(is_active=False)
    assert services.publish_weekly_safety_reminder(day=MONDAY) is None
    assert not SafetyReminder.objects.exists()
    assert not reminder_notifications().exists()


def test_topics_rotate_among_those_for_the_month(db):
    ReminderTopicFactory(months="12,1,2", title="冬季防火")
    summer = [ReminderTopicFactory(months="6,7,8", title=f"夏季{i}") for i in range(2)]
    picked = {services.pick_topic(MONDAY).title, services.pick_topic(NEXT_MONDAY).title}
    assert picked == {t.title for t in summer}


def test_the_celery_task_returns_the_reminder_id(topic, town_official):
    result = reminder_task.delay()
    reminder = SafetyReminder.objects.get()
    assert result.get() == reminder.pk
    assert reminder.week == services.iso_week(timezone.localdate())
    assert reminder_task.delay().get() is None
    assert town_official.notifications.count() == 1


def test_town_officials_see_the_reminder_page(topic, town_official, client_for):
    services.publish_weekly_safety_reminder(day=MONDAY)
    response = client_for(town_official).get(reverse("responsibilities:reminders"))
    assert response.status_code == 200
    assert "汛期安全" in response.content.decode()


# --- periodic tasks ---------------------------------------------------------------------------


def test_migrate_created_every_periodic_task(db):
    for entry in PERIODIC_TASKS:
        task = PeriodicTask.objects.get(name=entry["name"])
        assert task.task == entry["task"]
        assert task.enabled
        if "interval_seconds" in entry:
            assert (task.interval.every, task.interval.period) == (
                entry["interval_seconds"],
                IntervalSchedule.SECONDS,
            )
        else:
            for field, value in entry["crontab"].items():
                assert getattr(task.crontab, field) == value
            assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_every_scheduled_task_is_a_registered_celery_task(db):
    from safetyportal.celery import app

    app.loader.import_default_modules()
    assert {entry["task"] for entry in PERIODIC_TASKS} <= set(app.tasks)


def test_ensure_periodic_tasks_keeps_an_edited_schedule(db):
    entry = next(e for e in PERIODIC_TASKS if "crontab" in e)
    task = PeriodicTask.objects.get(name=entry["name"])
    edited = CrontabSchedule.objects.create(
        minute="15", hour="9", day_of_week="2", timezone="Asia/Shanghai"
    )
    task.crontab = edited
    task.save()
    ensure_periodic_tasks()
    task.refresh_from_db()
    assert task.crontab_id == edited.pk
    assert PeriodicTask.objects.filter(name=entry["name"]).count() == 1


def test_ensure_periodic_tasks_recreates_a_missing_task(db):
    entry = PERIODIC_TASKS[0]
    PeriodicTask.objects.filter(name=entry["name"]).delete()
    ensure_periodic_tasks()
    ensure_periodic_tasks()
    assert PeriodicTask.objects.filter(name=entry["name"]).count() == 1
    assert PeriodicTask.objects.filter(name__in=[e["name"] for e in PERIODIC_TASKS]).count() == len(
        PERIODIC_TASKS
    )
