"""A Celery worker killed (SIGKILL) in the middle of the daily hazard reminder sweep
(issue 14 item 5): the message was not acknowledged (acks_late), so Redis hands it to the
next worker once the visibility timeout has passed; the sweep runs again, finishes what
the killed run left, and nobody gets a notice twice (the claims committed per batch and
the notices' dedupe keys). The Redis, the workers and their settings are the test's own
(tests/faults/fault_settings.py: batches of 2, a pause after each, visibility 3 s)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from hazards.models import Hazard, HazardSource
from hazards.services import report_hazard
from hazards.tasks import escalate_hazards
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from tests.faults.conftest import database_url
from tests.faults.servers import kill_hard, process_env, start_worker, stop_process, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HAZARDS = 6  # three batches of two


def reminders():
    return Notification.objects.filter(title__contains="即将到期")


def test_a_sweep_killed_mid_run_is_redone_once_with_no_duplicate_notice(
    broker_at, secret_key, tmp_path, town_official, enterprise_manager
):
    deadline = timezone.localdate() + datetime.timedelta(days=2)
    hazards = [
        report_hazard(
            actor=town_official,
            enterprise=enterprise_manager.enterprise,
            source=HazardSource.INSPECTION,
            description="配电箱无防护门",
            location=f"{n}号车间",
            deadline=deadline,
            responsible_person="周经理",
        )
        for n in range(HAZARDS)
    ]
    env = process_env(database_url=database_url(), secret_key=secret_key, redis_url=broker_at.url)
    first_log, second_log = tmp_path / "worker1.log", tmp_path / "worker2.log"
    first = start_worker(env, first_log)
    second = None
    try:
        escalate_hazards.delay()
        # the first batch is committed; the worker pauses before the next one
        assert wait_until(lambda: reminders().exists(), timeout=40), first_log.read_text()
        kill_hard(first)
        done_when_killed = reminders().count()
        assert 0 < done_when_killed < HAZARDS  # killed mid-run
        redis = broker_at.client()
        assert redis.hlen("unacked") == 1  # the sweep's message: delivered, never acknowledged

        second = start_worker(env, second_log)
        assert wait_until(
            lambda: (
                reminders().count() == HAZARDS
                and redis.hlen("unacked") == 0
                and redis.llen("celery") == 0
            ),
            timeout=40,
        ), second_log.read_text()
    finally:
        for worker in (first, second):
            if worker is not None:
                stop_process(worker)

    # every hazard reminded once, to its one recipient, whatever ran twice
    per_hazard = reminders().values("url").annotate(n=Count("pk")).order_by("url")
    assert [row["n"] for row in per_hazard] == [1] * HAZARDS
    assert set(reminders().values_list("recipient", flat=True)) == {enterprise_manager.pk}
    assert set(Hazard.objects.values_list("escalation_level", flat=True)) == {1}
    assert AuditEvent.objects.filter(verb="hazard.escalated").count() == HAZARDS
    # the second worker ran the redelivered sweep to its end, once
    log = second_log.read_text().splitlines()
    finished = [line for line in log if "escalate_hazards" in line and "succeeded in" in line]
    assert len(finished) == 1, log
    assert len(hazards) == HAZARDS
