from celery import shared_task
from django.utils import timezone

from responsibilities import services


@shared_task
def publish_weekly_safety_reminder() -> int | None:
    reminder = services.publish_weekly_safety_reminder(day=timezone.localdate())
    return reminder.pk if reminder else None
