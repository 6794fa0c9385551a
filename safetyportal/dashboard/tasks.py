"""Thin Celery tasks of the composition layer (found by autodiscovery): safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def send_monthly_statistics() -> int:
    """Monthly: last month's headline figures to the leaders and the county office, once
    per month (the dedupe key names the month)."""
    from safetyportal.dashboard.monthly_notice import send_monthly_statistics as send

    return send(timezone.localdate())
