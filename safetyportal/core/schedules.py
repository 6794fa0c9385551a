"""Every periodic task of the portal, defined in one place.

On migrate, each entry is created in django-celery-beat's tables if missing. After that
the county office edits times in the admin and a later migrate never overwrites them.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class PeriodicTaskEntry(TypedDict):
    name: str
    task: str
    interval_seconds: NotRequired[int]
    crontab: NotRequired[dict[str, str]]


PERIODIC_TASKS: list[PeriodicTaskEntry] = [
    {
        "name": "任务进程心跳",
        "task": "safetyportal.core.tasks.record_worker_heartbeat",
        "interval_seconds": 60,
    },
    {
        "name": "补发未能排队的即时通知邮件（每 10 分钟）",
        "task": "safetyportal.notifications.tasks.send_unsent_emails",
        "interval_seconds": 600,
    },
    {
        "name": "每周安全提醒（周一 08:00）",
        "task": "responsibilities.tasks.publish_weekly_safety_reminder",
        "crontab": {"minute": "0", "hour": "8", "day_of_week": "1"},
    },
    {
        "name": "续算未完成的年度考核得分（每 15 分钟）",
        "task": "responsibilities.tasks.resume_appraisal_computations",
        "interval_seconds": 900,
    },
    {
        "name": "企业安全生产自评截止提醒（每日 08:30）",
        "task": "enterprises.tasks.send_self_assessment_reminders",
        "crontab": {"minute": "30", "hour": "8"},
    },
    {
        "name": "法定职责合规状态到期复核（每日 00:20）",
        "task": "enterprises.tasks.recheck_compliance",
        "crontab": {"minute": "20", "hour": "0"},
    },
    {
        "name": "隐患到期提醒与逾期督办升级（每日 06:30）",
        "task": "hazards.tasks.escalate_hazards",
        "crontab": {"minute": "30", "hour": "6"},
    },
    {
        "name": "行政处罚案件期限提醒（每日 07:00）",
        "task": "enforcement.cases.tasks.remind_case_deadlines",
        "crontab": {"minute": "0", "hour": "7"},
    },
    {
        "name": "镇街执法程序权限随委托书有效期同步（每日 00:10）",
        "task": "enforcement.authority.tasks.sync_town_procedure_flags",
        "crontab": {"minute": "10", "hour": "0"},
    },
    # --- stored reports (issue 12 item 3) ---
    {
        "name": "重大事故隐患半月通报草稿（每月 1 日、16 日 08:10）",
        "task": "safetyportal.dashboard.tasks.draft_major_hazard_bulletin",
        "crontab": {"minute": "10", "hour": "8", "day_of_month": "1,16"},
    },
    # --- periodic jobs of issue 12 (branch notif, ADR 0035). A new job (the whistleblower
    # deadlines, the half-monthly bulletin, the appraisal reports) plugs in with a task
    # and one entry here; the county office then sees it on the 定时任务 page.
    {
        "name": "每日通知邮件汇总（每 15 分钟检查各人设定的汇总时间）",
        "task": "safetyportal.notifications.tasks.send_daily_digests",
        "crontab": {"minute": "*/15", "hour": "*"},
    },
    {
        "name": "隐患排查治理季度、年度统计报送提醒（每日 08:40）",
        "task": "hazards.tasks.remind_hazard_statistics",
        "crontab": {"minute": "40", "hour": "8"},
    },
    {
        "name": "特种作业证、预案评估和应急演练到期提醒（每日 08:50）",
        "task": "enterprises.tasks.send_duty_reminders",
        "crontab": {"minute": "50", "hour": "8"},
    },
    {
        "name": "责任清单事项到期提醒（每日 07:10）",
        "task": "responsibilities.tasks.remind_duty_items",
        "crontab": {"minute": "10", "hour": "7"},
    },
    {
        "name": "月度安全生产统计（每月 1 日 08:00）",
        "task": "safetyportal.dashboard.tasks.send_monthly_statistics",
        "crontab": {"minute": "0", "hour": "8", "day_of_month": "1"},
    },
    # whistleblower reports (enforcement/reports)
    {
        "name": "举报受理、核查、反馈期限提醒（每日 07:10）",
        "task": "enforcement.reports.tasks.remind_report_deadlines",
        "crontab": {"minute": "10", "hour": "7"},
    },
    # --- the year-end appraisal reports (branch areport, ADR 0047): idempotent, so it runs
    # on the 1st of February to June and each run adds only the reports still missing
    {
        "name": "上年度安全生产考核报告（2-6 月每月 1 日 03:00）",
        "task": "safetyportal.dashboard.tasks.generate_appraisal_reports",
        "crontab": {"minute": "0", "hour": "3", "day_of_month": "1", "month_of_year": "2-6"},
    },
    # --- faults (issue 14): the task outbox, ADR 0040 ---
    {
        "name": "补发任务队列不可用时保存的任务（每分钟）",
        "task": "safetyportal.core.tasks.relay_outbox_task",
        "interval_seconds": 60,
    },
]

# entries replaced by others (deleted on migrate): the digest at one fixed time gave way
# to the one that follows each person's digest time
RETIRED_TASKS = ["每日通知邮件汇总（07:30）"]


def ensure_periodic_tasks(**kwargs) -> None:
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    PeriodicTask.objects.filter(name__in=RETIRED_TASKS).delete()
    for entry in PERIODIC_TASKS:
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            continue
        if "interval_seconds" in entry:
            schedule, _ = IntervalSchedule.objects.get_or_create(
                every=entry["interval_seconds"], period=IntervalSchedule.SECONDS
            )
            PeriodicTask.objects.create(name=entry["name"], task=entry["task"], interval=schedule)
        else:
            fields = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
            fields.update(entry["crontab"])
            schedule, _ = CrontabSchedule.objects.get_or_create(
                timezone=settings.TIME_ZONE, **fields
            )
            PeriodicTask.objects.create(name=entry["name"], task=entry["task"], crontab=schedule)
