"""Thin Celery tasks of the cases area: the daily deadline reminders and the case-file PDF.
Both take primary keys (or nothing) and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def remind_case_deadlines() -> int:
    """Daily: remind each case's officers of a decision, service or payment deadline
    coming up (dedupe keys: a second run notifies nobody twice)."""
    from enforcement.cases.reminders import send_deadline_reminders

    return send_deadline_reminders(timezone.localdate())


@shared_task(acks_late=True)
def render_case_file(case_id: int) -> str:
    """Render and store the case file (案卷) PDF of one case."""
    from enforcement.cases.casefile import build_case_file

    return build_case_file(case_id)
