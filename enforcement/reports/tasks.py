"""Thin Celery task of the reports area: the daily deadline reminders (safe to run twice)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def remind_report_deadlines() -> int:
    from enforcement.reports.reminders import send_deadline_reminders

    return send_deadline_reminders(timezone.localdate())
