"""The whole Celery path once for real: a worker process consuming from Redis, writing to
the test database. Everything else runs tasks eagerly."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from responsibilities.models import ReminderTopic, SafetyReminder
from responsibilities.tasks import publish_weekly_safety_reminder
from safetyportal.celery import app as celery_app
from safetyportal.core.models import WorkerHeartbeat
from safetyportal.core.tasks import record_worker_heartbeat

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


def test_tasks_run_on_a_real_worker_through_redis(real_worker, town_official):
    ReminderTopic.objects.create(title="防汛", body="汛期到来，请检查排水设施。")
    record_worker_heartbeat.delay()
    publish_weekly_safety_reminder.delay()

    finished = wait_until(
        lambda: (
            WorkerHeartbeat.objects.filter(name="worker").exists()
            and SafetyReminder.objects.exists()
        )
    )
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
