import socket

from celery import shared_task
from django.utils import timezone

from safetyportal.core.models import WorkerHeartbeat


@shared_task
def record_worker_heartbeat() -> str:
    WorkerHeartbeat.objects.update_or_create(
        name="worker", defaults={"beat_at": timezone.now(), "hostname": socket.gethostname()}
    )
    return "ok"
