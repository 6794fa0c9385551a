"""Thin Celery tasks for hazards; the work is in escalation.py and services.py."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from hazards import escalation


@shared_task(acks_late=True)
def escalate_hazards() -> int:
    """Daily: deadline reminders and one-level-at-a-time escalation (safe to run twice)."""
    return escalation.run_escalation(timezone.localdate())


@shared_task(acks_late=True)
def remind_hazard_statistics() -> int:
    """Daily: the quarterly (15th of the next quarter) and annual (31 January) hazard
    statistics, reminded once per period in the days before they are due."""
    from hazards.statistics_reminders import send_statistics_reminders

    return send_statistics_reminders(timezone.localdate())
