from celery import shared_task
from django.utils import timezone

from responsibilities import services


@shared_task(acks_late=True)
def publish_weekly_safety_reminder() -> int | None:
    reminder = services.publish_weekly_safety_reminder(day=timezone.localdate())
    return reminder.pk if reminder else None


@shared_task(acks_late=True)
def remind_duty_items() -> int:
    """Daily: duty-list items due soon or overdue, told once per stage and deadline."""
    from responsibilities.duty_reminders import send_duty_item_reminders

    return send_duty_item_reminders(timezone.localdate())
