"""A task queue that refuses connections orphans nothing (issue 8 item 26): the import job
fails visibly, an immediate e-mail waits for the retry sweep, and nobody gets a 500."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from enterprises.models import ImportJob, ImportStatus
from safetyportal.celery import app as celery_app
from safetyportal.notifications.models import Notification
from safetyportal.notifications.services import notify
from safetyportal.notifications.tasks import send_unsent_emails
from tests.enterprises.importing.test_registry_import import row, run_upload, workbook_bytes
from tests.factories import UserFactory


def _forget_connections():
    """Make the app build its connection and producer pools again from its settings."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def refusing_broker():
    """Celery publishing for real to a port where nothing listens (connection refused),
    with one quick retry instead of the default back-off."""
    conf = celery_app.conf
    saved = {
        "task_always_eager": conf.task_always_eager,
        "broker_url": conf.broker_url,
        "broker_transport_options": conf.broker_transport_options,
        "task_publish_retry_policy": conf.task_publish_retry_policy,
    }
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:1/0"
    conf.broker_transport_options = {}
    conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0}
    _forget_connections()
    try:
        yield
    finally:
        celery_app.pool.force_close_all()
        for key, value in saved.items():
            setattr(conf, key, value)
        _forget_connections()


def test_import_job_fails_visibly_when_the_queue_is_unreachable(
    refusing_broker, county, county_officer, client_for, django_capture_on_commit_callbacks
):
    client = client_for(county_officer)
    response = run_upload(client, workbook_bytes([row(1)]), django_capture_on_commit_callbacks)
    assert response.status_code == 302  # not a 500
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.finished_at is not None
    assert "任务队列暂时无法连接" in job.errors[0]["message"]
    page = client.get(response.url).content.decode()
    assert "任务队列暂时无法连接" in page


def test_immediate_email_is_kept_for_the_retry_sweep_when_the_queue_is_unreachable(
    refusing_broker, db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="imm@example.cn", email_frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, title="重大隐患已交办")
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None and not notification.email_skipped


def test_the_sweep_sends_unsent_immediate_emails_once(db):
    user = UserFactory(email="imm@example.cn", email_frequency="immediate")
    old = Notification.objects.create(
        recipient=user, title="旧通知", created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    Notification.objects.create(recipient=user, title="刚刚的通知")  # its task may be running
    assert send_unsent_emails() == 1
    assert [m.subject for m in mail.outbox] == ["[安全生产监管门户] 旧通知"]
    old.refresh_from_db()
    assert old.emailed_at is not None
    assert send_unsent_emails() == 0


def test_every_task_is_queued_through_enqueue_on_commit():
    """No service calls .delay()/.apply_async() itself (only the queue helper and its
    outbox relay, and the worker's own start-up tasks, which run where the broker is by
    definition)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    allowed = {
        Path("safetyportal/core/queue.py"),
        Path("safetyportal/core/outbox.py"),
        Path("safetyportal/celery.py"),
    }
    offenders = []
    for package in ("safetyportal", "hazards", "enterprises", "responsibilities", "enforcement"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if (".delay(" in text or ".apply_async(" in text) and (
                path.relative_to(root) not in allowed
            ):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
