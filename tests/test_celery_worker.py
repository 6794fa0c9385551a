"""The whole Celery path once for real: a worker process consuming from Redis, writing to
the test database. Everything else runs tasks eagerly."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from hazards.models import HazardSource
from hazards.services import report_hazard
from hazards.tasks import escalate_hazards
from responsibilities.models import ReminderTopic, SafetyReminder
from responsibilities.tasks import publish_weekly_safety_reminder
from safetyportal.celery import app as celery_app
from safetyportal.core.models import WorkerHeartbeat
from safetyportal.notifications.models import Notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def real_worker():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL must be set for the worker test (make test sets it)")
    if connection.vendor != "postgresql":
        pytest.fail("the worker test needs PostgreSQL (a second process shares the database)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safetyportal.settings",
        "SECRET_KEY": "worker-test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    # a clean queue: nothing left over from an earlier run is consumed by this worker
    celery_app.connection_for_write().default_channel.queue_purge("celery")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "safetyportal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = eager
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()
        connection.close()


def wait_until(predicate, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def due_hazard(town_official, enterprise, location):
    return report_hazard(
        actor=town_official,
        enterprise=enterprise,
        source=HazardSource.INSPECTION,
        description="配电箱无防护门",
        location=location,
        deadline=timezone.localdate() + datetime.timedelta(days=2),
        responsible_person="周经理",
    )


def test_tasks_run_on_a_real_worker_through_redis(
    real_worker, county, town_official, enterprise_manager
):
    ReminderTopic.objects.create(title="防汛", body="汛期到来，请检查排水设施。")
    first = due_hazard(town_official, enterprise_manager.enterprise, "二号车间")

    def reminders_for(hazard):
        return Notification.objects.filter(
            recipient=enterprise_manager, url=f"/hazards/{hazard.pk}/", title__contains="即将到期"
        )

    # no heartbeat is sent here: the worker queues one itself when it starts
    publish_weekly_safety_reminder.delay()
    escalate_hazards.delay()
    finished = wait_until(
        lambda: (
            WorkerHeartbeat.objects.filter(name="worker").exists()
            and SafetyReminder.objects.exists()
            and reminders_for(first).exists()
        )
    )
    second = None
    if finished:
        # the daily run again through the same worker: a new hazard gets its reminder,
        # the first one gets nothing new (hazards are taken in id order, so once the
        # second's reminder exists the run has passed the first)
        second = due_hazard(town_official, enterprise_manager.enterprise, "三号仓库")
        publish_weekly_safety_reminder.delay()
        escalate_hazards.delay()
        finished = wait_until(lambda: reminders_for(second).exists())
    output = b""
    if not finished:
        real_worker.terminate()
        output = real_worker.communicate(timeout=20)[0]
    assert finished, (
        f"the worker did not run the tasks; its output:\n{output.decode(errors='replace')}"
    )
    reminder = SafetyReminder.objects.get()
    assert reminder.recipients_count == 1
    assert town_official.notifications.filter(title__contains="防汛").count() == 1
    assert reminders_for(first).count() == 1
    assert reminders_for(second).count() == 1
    first.refresh_from_db()
    assert first.escalation_level == 1
