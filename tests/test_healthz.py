"""/healthz: public JSON on the database, Redis and the Celery worker's heartbeat."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from safetyportal.core.models import WorkerHeartbeat
from safetyportal.core.tasks import record_worker_heartbeat

URL = reverse("healthz")


def beat(seconds_ago: float) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name="worker",
        defaults={"beat_at": timezone.now() - datetime.timedelta(seconds=seconds_ago)},
    )


@pytest.mark.django_db
def test_healthz_is_public_json_and_not_cached(client):
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert set(response.json()["checks"]) == {"database", "redis", "worker"}


@pytest.mark.django_db
def test_healthz_fails_without_a_worker_heartbeat(client):
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["worker"] == {"ok": False, "last_heartbeat": None}
    assert body["checks"]["database"] == {"ok": True, "vendor": "postgresql"}


@pytest.mark.django_db
def test_healthz_is_ok_with_a_fresh_heartbeat_and_database_and_redis_up(client):
    assert settings.REDIS_URL, "run the suite with REDIS_URL=redis://..."
    beat(seconds_ago=5)
    response = client.get(URL)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["redis"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] is True
    assert 0 <= body["checks"]["worker"]["age_seconds"] <= 60


@pytest.mark.django_db
def test_healthz_fails_with_a_stale_heartbeat(client):
    beat(seconds_ago=settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS + 30)
    response = client.get(URL)
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert worker["age_seconds"] >= settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS + 30


@pytest.mark.django_db
def test_healthz_fails_when_redis_is_unreachable(client, settings):
    beat(seconds_ago=5)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_healthz_reports_no_business_data(client, county):
    beat(seconds_ago=5)
    html = client.get(URL).content.decode()
    assert county.xdk_chem.name not in html and county.xdk_chem.uscc not in html


@pytest.mark.django_db
def test_healthz_accepts_only_get(client):
    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_the_heartbeat_task_writes_the_heartbeat(client):
    before = timezone.now()
    assert record_worker_heartbeat.delay().get() == "ok"
    heartbeat = WorkerHeartbeat.objects.get(name="worker")
    assert heartbeat.beat_at >= before
    assert heartbeat.hostname
    record_worker_heartbeat.delay()
    assert WorkerHeartbeat.objects.count() == 1
    assert client.get(URL).status_code == 200
