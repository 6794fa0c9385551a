"""The county office's changes to the periodic jobs (django-celery-beat's PeriodicTask
rows created from schedules.py): switch a job on or off and move its time of day.
Audited; bad input changes nothing (ADR 0035)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from safetyportal.accounts.models import Role
from safetyportal.audit.services import record_event


def may_manage_schedules(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.COUNTY_OFFICE)


def time_of_day(task: PeriodicTask) -> datetime.time | None:
    """The job's time of day, when it runs at one (a crontab with one hour and minute)."""
    crontab = task.crontab
    if crontab is None or not (crontab.hour.isdigit() and crontab.minute.isdigit()):
        return None
    return datetime.time(int(crontab.hour), int(crontab.minute))


def describe(task: PeriodicTask) -> str:
    """When the job runs, in words (每日 06:30, 每周一 08:00, 每月1日 08:00, 每 10 分钟)."""
    if task.interval is not None:
        seconds = task.interval.every * {"seconds": 1, "minutes": 60, "hours": 3600}.get(
            task.interval.period, 86400
        )
        if seconds % 60:
            return _("每 %(n)s 秒") % {"n": seconds}
        return _("每 %(n)s 分钟") % {"n": seconds // 60}
    crontab = task.crontab
    if crontab is None:
        return _("一次性")
    at = time_of_day(task)
    if at is None and crontab.hour == "*" and crontab.minute.startswith("*/"):
        return _("每 %(minute)s 分钟") % {"minute": crontab.minute.removeprefix("*/")}
    if at is None:
        return _("每 %(minute)s 分钟（时：%(hour)s）") % {
            "minute": crontab.minute.removeprefix("*/"),
            "hour": crontab.hour,
        }
    clock = at.strftime("%H:%M")
    weekdays = "一二三四五六日"
    if crontab.day_of_week.isdigit():
        day = int(crontab.day_of_week)
        return _("每周%(day)s %(time)s") % {"day": weekdays[(day - 1) % 7], "time": clock}
    if crontab.day_of_month.isdigit():
        return _("每月%(day)s日 %(time)s") % {"day": crontab.day_of_month, "time": clock}
    return _("每日 %(time)s") % {"time": clock}


def change_schedule(
    *, actor, task_id: int, enabled: bool, at: datetime.time | None = None
) -> PeriodicTask:
    """Switch job `task_id` on or off and, for a job run at a time of day, set that time
    (the days it runs on stay). Saving the row tells the beat scheduler to reload."""
    if not may_manage_schedules(actor):
        raise PermissionDenied(_("只有县安委办可以修改定时任务。"))
    with transaction.atomic():
        task = (
            PeriodicTask.objects.select_for_update(of=("self",))
            .select_related("crontab", "interval")
            .get(pk=task_id)
        )
        before = {"enabled": task.enabled, "schedule": describe(task)}
        fields = ["enabled"]
        current = time_of_day(task)
        if at is not None and at != current:
            if current is None:
                raise ValidationError(
                    {"at": _("该任务不是按每天固定时刻运行的，不能修改运行时间。")}
                )
            crontab = task.crontab
            schedule, _created = CrontabSchedule.objects.get_or_create(
                minute=str(at.minute),
                hour=str(at.hour),
                day_of_week=crontab.day_of_week,
                day_of_month=crontab.day_of_month,
                month_of_year=crontab.month_of_year,
                timezone=crontab.timezone or settings.TIME_ZONE,
            )
            task.crontab = schedule
            fields.append("crontab")
        task.enabled = enabled
        task.save(update_fields=fields)
        record_event(
            actor=actor,
            verb="schedule.changed",
            target=task,
            payload={"before": before, "after": {"enabled": enabled, "schedule": describe(task)}},
        )
    return task
