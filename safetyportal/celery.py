"""The Celery application. Broker and options come from settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetyportal.settings")

app = Celery("safetyportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_on_start(sender, **kwargs):
    """Queue a heartbeat as soon as a worker is up, so /healthz does not report it down
    for the first minute (the heartbeat goes through the broker, like every task)."""
    from safetyportal.core.tasks import record_worker_heartbeat, relay_outbox_task

    record_worker_heartbeat.delay()
    # the broker answers now: send what was kept while it did not (ADR 0040)
    relay_outbox_task.delay()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _mask_personal_data(sender=None, logger=None, **kwargs):
    """The worker installs handlers of its own (not settings.LOGGING's): they mask phone
    and identity numbers too (ADR 0045)."""
    import logging

    from safetyportal.core.log_filters import mask_all_handlers

    mask_all_handlers(logging.getLogger(), *([logger] if logger is not None else []))
