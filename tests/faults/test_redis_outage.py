"""Redis down (issue 14 item 5): pages and writes still work, and the tasks the writes
schedule are kept in the database outbox and sent once Redis is back (ADR 0040). Redis is
the test's own redis-server on a free port, stopped and started again by the test."""

from __future__ import annotations

import base64
import datetime
import io
import json

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hazards.models import Hazard
from safetyportal.core.models import OutboxTask
from safetyportal.notifications.models import Notification
from safetyportal.notifications.services import notify
from safetyportal.notifications.tasks import send_notification_email
from tests.factories import UserFactory

EMAIL_TASK = "safetyportal.notifications.tasks.send_notification_email"


def queued(redis_server) -> list[tuple[str, list]]:
    """The messages waiting in the broker's default queue: (task name, args)."""
    messages = []
    for raw in redis_server.client().lrange("celery", 0, -1):
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        messages.append((message["headers"]["task"], args))
    return messages


def relay_command() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("relay_outbox", stdout=out, stderr=err)
    return out.getvalue().strip()


def test_nothing_a_page_needs_lives_in_redis():
    """Sessions are in the database and the caches in each process's memory: only the task
    broker is Redis, and its outage is handled by the outbox."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert all("redis" not in cache["BACKEND"].lower() for cache in settings.CACHES.values())


def test_pages_and_writes_work_while_redis_is_down_and_the_tasks_are_sent_once_it_is_back(
    broker_at,
    county,
    town_official,
    enterprise_manager,
    client_for,
    django_capture_on_commit_callbacks,
):
    enterprise_manager.email_frequency = "immediate"
    enterprise_manager.save(update_fields=["email_frequency"])
    broker_at.stop()

    client = client_for(town_official)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("hazards:list")).status_code == 200
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hazards:create"),
            {
                "enterprise": county.xdk_build.pk,
                "source": "inspection",
                "location": "仓库",
                "description": "灭火器过期",
                "found_on": today.isoformat(),
                "deadline": (today + datetime.timedelta(days=7)).isoformat(),
                "responsible_person": "周经理",
            },
        )
    assert response.status_code == 302  # the write went through, no 500
    hazard = Hazard.objects.get()
    notice = Notification.objects.get(recipient=enterprise_manager)
    assert notice.url == reverse("hazards:detail", args=[hazard.pk])
    kept = OutboxTask.objects.get()
    assert (kept.task, kept.args, kept.sent_at) == (EMAIL_TASK, [notice.pk], None)
    assert kept.error

    # a relay while Redis is still down sends nothing and keeps the row
    assert relay_command() == "sent 0, unsent 1"

    broker_at.start()
    assert relay_command() == "sent 1, unsent 0"
    assert queued(broker_at) == [(EMAIL_TASK, [notice.pk])]
    kept.refresh_from_db()
    assert kept.sent_at is not None
    # sent once: relaying again sends nothing more
    assert relay_command() == "sent 0, unsent 0"
    assert len(queued(broker_at)) == 1

    # the message taken off the broker and run (twice, as a redelivery would): one e-mail
    name, args = queued(broker_at)[0]
    assert name == send_notification_email.name
    send_notification_email(*args)
    send_notification_email(*args)
    assert [message.to for message in mail.outbox] == [[enterprise_manager.email]]


def test_the_next_successful_enqueue_relays_what_was_kept(
    broker_at, db, django_capture_on_commit_callbacks
):
    first = UserFactory(email_frequency="immediate")
    second = UserFactory(email_frequency="immediate")
    broker_at.stop()
    with django_capture_on_commit_callbacks(execute=True):
        kept_notice = notify(recipient=first, title="重大隐患已交办")
    assert OutboxTask.objects.filter(sent_at__isnull=True).count() == 1

    broker_at.start()
    with django_capture_on_commit_callbacks(execute=True):
        new_notice = notify(recipient=second, title="重大隐患已交办")
    assert sorted(queued(broker_at)) == sorted(
        [(EMAIL_TASK, [new_notice.pk]), (EMAIL_TASK, [kept_notice.pk])]
    )
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()


def test_the_outbox_is_relayed_every_minute_and_when_a_worker_starts():
    from safetyportal.celery import _heartbeat_on_start
    from safetyportal.core.schedules import PERIODIC_TASKS

    relay = "safetyportal.core.tasks.relay_outbox_task"
    assert {"task": relay, "interval_seconds": 60}.items() <= next(
        entry for entry in PERIODIC_TASKS if entry["task"] == relay
    ).items()
    assert "relay_outbox_task.delay()" in _source(_heartbeat_on_start)


def _source(function) -> str:
    import inspect

    return inspect.getsource(function)
