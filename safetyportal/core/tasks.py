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


@shared_task
def relay_outbox_task() -> int:
    """Every minute from beat, and when a worker starts: send the tasks kept while the
    broker was unreachable (ADR 0040), and prune the rows sent more than a week ago."""
    from safetyportal.core import outbox

    sent = outbox.relay()
    outbox.prune()
    return sent
