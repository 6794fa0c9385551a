from celery import shared_task
from django.utils import timezone

from enterprises import assessment_services, importing


@shared_task
def send_self_assessment_reminders() -> int:
    return assessment_services.send_due_reminders(today=timezone.localdate())


# acks_late: a worker lost mid-import leaves the message to be redelivered; the job's
# conditional claim makes the second run a no-op rather than a second import
@shared_task(acks_late=True)
def run_registry_import(job_id: int) -> str:
    return importing.run_import_job(job_id=job_id)
