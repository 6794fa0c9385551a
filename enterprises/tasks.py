"""The app's Celery tasks (found by autodiscovery under these names): thin, taking
primary keys, safe to run twice. Their bodies live in the sub-packages."""

from celery import shared_task
from django.utils import timezone

from enterprises.assessment.services import send_due_reminders
from enterprises.duties.judging import recheck_due
from enterprises.importing.jobs import run_import_job


@shared_task(acks_late=True)
def send_self_assessment_reminders() -> int:
    return send_due_reminders(today=timezone.localdate())


# acks_late: a worker lost mid-import leaves the message to be redelivered; the job's
# conditional claim makes the second run a no-op rather than a second import
@shared_task(acks_late=True)
def run_registry_import(job_id: int) -> str:
    return run_import_job(job_id=job_id)


@shared_task(acks_late=True)
def recheck_compliance() -> int:
    """Nightly: judge again the compliance results whose date has come (safe to run twice:
    a second run finds none due)."""
    return recheck_due(today=timezone.localdate())


@shared_task(acks_late=True)
def send_duty_reminders() -> int:
    """Daily: certificates, plan evaluations and drills due soon or overdue, told once
    per situation (runs after the nightly recheck has brought the results up to date)."""
    from enterprises.duties.reminders import send_duty_reminders as send

    return send(today=timezone.localdate())
