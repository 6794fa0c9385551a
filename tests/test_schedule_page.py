"""The county office's page of periodic jobs (定时任务): who sees it, switching a job off
and moving its time (audited), bad input, wrong method, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from safetyportal.audit.models import AuditEvent
from safetyportal.core.schedules import PERIODIC_TASKS, ensure_periodic_tasks

LIST_URL = reverse("core:schedules")


def change_url(task) -> str:
    return reverse("core:schedule_change", args=[task.pk])


@pytest.fixture
def jobs(db):
    PeriodicTask.objects.all().delete()
    ensure_periodic_tasks()
    return PeriodicTask.objects.select_related("crontab")


@pytest.fixture
def escalation(jobs):
    return jobs.get(task="hazards.tasks.escalate_hazards")


def test_the_county_office_sees_every_job_with_its_time(jobs, county_officer, client_for):
    response = client_for(county_officer).get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "隐患到期提醒与逾期督办升级（每日 06:30）" in html
    assert "每日 06:30" in html and "每周一 08:00" in html and "每月1日 08:00" in html
    assert len(response.context["rows"]) == len(PERIODIC_TASKS)


@pytest.mark.parametrize(
    "persona", ["leader", "town_official", "department_official", "enterprise_manager"]
)
def test_other_roles_may_neither_see_nor_change_the_jobs(persona, escalation, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST_URL).status_code == 403
    assert client.post(change_url(escalation), {"at": "05:00"}).status_code == 403
    escalation.refresh_from_db()
    assert escalation.enabled


def test_switching_a_job_off_and_moving_its_time_is_saved_and_audited(
    escalation, county_officer, client_for
):
    response = client_for(county_officer).post(change_url(escalation), {"at": "05:15"})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert not escalation.enabled
    assert (escalation.crontab.hour, escalation.crontab.minute) == ("5", "15")
    assert escalation.crontab.day_of_week == "*"
    event = AuditEvent.objects.get(verb="schedule.changed")
    assert event.actor == county_officer
    assert event.payload == {
        "before": {"enabled": True, "schedule": "每日 06:30"},
        "after": {"enabled": False, "schedule": "每日 05:15"},
    }

    client_for(county_officer).post(change_url(escalation), {"enabled": "on", "at": "05:15"})
    escalation.refresh_from_db()
    assert escalation.enabled


def test_a_weekly_job_keeps_its_day_when_its_time_moves(jobs, county_officer, client_for):
    weekly = jobs.get(task="responsibilities.tasks.publish_weekly_safety_reminder")
    client_for(county_officer).post(change_url(weekly), {"enabled": "on", "at": "09:00"})
    weekly.refresh_from_db()
    assert (weekly.crontab.day_of_week, weekly.crontab.hour) == ("1", "9")


def test_a_bad_time_changes_nothing(escalation, county_officer, client_for):
    response = client_for(county_officer).post(change_url(escalation), {"at": "晚上"}, follow=True)
    assert "请按“时:分”填写运行时间" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.enabled and escalation.crontab.hour == "6"
    assert not AuditEvent.objects.filter(verb="schedule.changed").exists()


def test_an_interval_job_has_no_time_to_move(jobs, county_officer, client_for):
    heartbeat = jobs.get(task="safetyportal.core.tasks.record_worker_heartbeat")
    response = client_for(county_officer).post(
        change_url(heartbeat), {"enabled": "on", "at": "03:00"}, follow=True
    )
    assert "不能修改运行时间" in response.content.decode()
    heartbeat.refresh_from_db()
    assert heartbeat.interval.every == 60


def test_wrong_method_is_refused(escalation, county_officer, client_for):
    client = client_for(county_officer)
    assert client.get(change_url(escalation)).status_code == 405
    assert client.post(LIST_URL).status_code == 405


def test_the_list_costs_the_same_queries_for_few_and_many_jobs(jobs, county_officer, client_for):
    client = client_for(county_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL).status_code == 200
        return len(queries)

    few = count()
    every = IntervalSchedule.objects.create(every=3600, period=IntervalSchedule.SECONDS)
    daily = CrontabSchedule.objects.create(minute="0", hour="3", timezone="Asia/Shanghai")
    for n in range(8):
        PeriodicTask.objects.create(name=f"附加任务{n}", task="x.y", interval=every)
        PeriodicTask.objects.create(name=f"附加定时任务{n}", task="x.z", crontab=daily)
    assert count() == few
