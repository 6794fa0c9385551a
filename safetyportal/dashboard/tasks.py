"""Thin Celery tasks of the composition layer (found by autodiscovery): build a stored
report, draft the half-monthly bulletin, the monthly statistics. Each takes primary keys
(or nothing) and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def build_report(report_id: int) -> str:
    """Render and store one report's PDF (progress kept on the row)."""
    from safetyportal.dashboard.reports.jobs import build_report as build

    return build(report_id)


@shared_task(acks_late=True)
def draft_major_hazard_bulletin() -> int | None:
    """On the 1st and 16th: draft the bulletin of the half month just ended and notify the
    county office (once)."""
    from safetyportal.dashboard.reports.jobs import draft_bulletin

    report = draft_bulletin()
    return report.pk if report else None


@shared_task(acks_late=True)
def send_monthly_statistics() -> int:
    """Monthly: last month's headline figures to the leaders and the county office, once
    per month (the dedupe key names the month)."""
    from safetyportal.dashboard.monthly_notice import send_monthly_statistics as send

    return send(timezone.localdate())


@shared_task(acks_late=True)
def generate_appraisal_reports() -> int:
    """From 1 February: last year's published appraisal reports (each unit's and the county
    summary), each once; how many were queued."""
    from safetyportal.dashboard.reports.appraisal_jobs import generate_appraisal_reports as run

    return run(enqueue=queue_build)


def queue_build(report) -> None:
    """Queue `build_report` for a report once the transaction commits; a refused broker
    fails the report with a message (the periodic job queues it again)."""
    from safetyportal.core.queue import enqueue_on_commit
    from safetyportal.dashboard.reports.jobs import mark_unqueued

    enqueue_on_commit(
        build_report, report.pk, on_unreachable=lambda error: mark_unqueued(report.pk)
    )
