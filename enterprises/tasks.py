from celery import shared_task
from django.utils import timezone

from enterprises import assessment_services, importing


@shared_task
def send_self_assessment_reminders() -> int:
    return assessment_services.send_due_reminders(today=timezone.localdate())


@shared_task
def run_registry_import(job_id: int) -> str:
    return importing.run_import_job(job_id=job_id)
