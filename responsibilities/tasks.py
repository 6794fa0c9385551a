from celery import shared_task
from django.utils import timezone

from responsibilities import services


@shared_task(acks_late=True)
def publish_weekly_safety_reminder() -> int | None:
    reminder = services.publish_weekly_safety_reminder(day=timezone.localdate())
    return reminder.pk if reminder else None


@shared_task(acks_late=True)
def compute_appraisal_result(result_id: int) -> str:
    """Score one unit's appraisal result from the ledgers (safe to run twice)."""
    from responsibilities.appraisal_compute import compute_result

    return compute_result(result_id)


@shared_task(acks_late=True)
def resume_appraisal_computations() -> int:
    """Send again every appraisal result left `computing` (a worker died mid-run, or the
    broker was down when the round was opened)."""
    from django.db import transaction

    from responsibilities.appraisal_compute import computing_ids
    from safetyportal.core.queue import enqueue_on_commit, keep_for_retry

    ids = computing_ids()
    with transaction.atomic():
        for result_id in ids:
            # an unreachable broker leaves the result `computing` for the next run
            enqueue_on_commit(compute_appraisal_result, result_id, on_unreachable=keep_for_retry)
    return len(ids)


@shared_task(acks_late=True)
def remind_duty_items() -> int:
    """Daily: duty-list items due soon or overdue, told once per stage and deadline."""
    from responsibilities.duty_reminders import send_duty_item_reminders

    return send_duty_item_reminders(timezone.localdate())
