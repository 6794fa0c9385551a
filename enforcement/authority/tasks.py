"""Thin Celery tasks of the legal frame."""

from __future__ import annotations

from celery import shared_task

from enforcement.authority.services import sync_procedure_flags


@shared_task(acks_late=True)
def sync_town_procedure_flags() -> int:
    """Daily: a delegation that ended yesterday withdraws the town's general procedure on
    the responsibilities pages too (safe to run twice)."""
    return sync_procedure_flags()
