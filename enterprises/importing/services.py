"""Start a registry import: store the upload and queue its task (whose body is
enterprises/importing/jobs.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.importing.models import ImportJob, ImportStatus
from enterprises.importing.rows import RowError
from enterprises.permissions import Action, require
from enterprises.tasks import run_registry_import
from safetyportal.core.queue import enqueue_on_commit
from safetyportal.core.uploads import EXCEL, check_upload


def create_import_job(*, actor, upload) -> ImportJob:
    """Store the upload and queue the import after commit."""
    require(actor, Action.IMPORT)
    check_upload(upload, allowed=EXCEL)
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=upload, original_name=upload.name[:200], created_by=actor
        )
        enqueue_on_commit(run_registry_import, job.pk, on_unreachable=_queue_failed(job))
    return job


def _queue_failed(job):
    """A job the queue never received fails visibly instead of staying pending."""

    def fail(error: Exception) -> None:
        message = _("任务队列暂时无法连接，导入没有开始，未导入任何数据。请稍后重新上传该文件。")
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
            status=ImportStatus.FAILED,
            errors=[RowError(1, "", message).as_dict()],
            finished_at=timezone.now(),
        )

    return fail
