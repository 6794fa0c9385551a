"""The body of the registry import task: claim the job, read and check the rows, save
them all or none, and report progress and errors on the job row.

Import is all or nothing: if any row is wrong nothing is saved and the job keeps a
row-by-row error list. Otherwise all rows are written in one transaction with one audit
event (`save_enterprises`).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.duties.judging import judge_new_enterprises
from enterprises.importing.models import ImportJob, ImportStatus
from enterprises.importing.rows import RowError, RowValidator, read_rows
from enterprises.registry.models import Enterprise
from safetyportal.audit.services import record_event
from safetyportal.core.figures import touch

logger = logging.getLogger(__name__)
BATCH_SIZE = 2000


@transaction.atomic
def save_enterprises(*, actor, job: ImportJob, enterprises: list[Enterprise]) -> int:
    """Write validated rows in one transaction with one audit event on the job."""
    Enterprise.objects.bulk_create(enterprises, batch_size=BATCH_SIZE)
    touch("enterprises")  # bulk_create sends no signals; the home figures count these
    record_event(
        actor=actor,
        verb="enterprise.imported",
        target=job,
        payload={"file": job.original_name, "count": len(enterprises)},
    )
    # their compliance results, stored (new enterprises: judged from the registry fields)
    judge_new_enterprises(enterprises)
    return len(enterprises)


def run_import_job(*, job_id: int) -> str:
    """Body of the Celery task: claim the job (safe to run twice), validate, save."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return "already claimed"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            rows = read_rows(io.BytesIO(handle.read()))
    except ValidationError as exc:
        _finish(job, ImportStatus.FAILED, errors=[RowError(1, "", m) for m in exc.messages])
        return "failed"
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
    validator = RowValidator(actor=job.created_by)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    enterprises, errors = validator.validate(rows, progress=progress)
    if not rows:
        errors = [RowError(2, "", _("文件中没有企业数据。"))]
    if errors:
        _finish(job, ImportStatus.FAILED, errors=errors)
        return "failed"
    try:
        count = save_enterprises(actor=job.created_by, job=job, enterprises=enterprises)
    except DatabaseError:
        # e.g. someone registered one of these codes since the rows were checked
        # (IntegrityError), or a value the column refuses (DataError); the transaction
        # rolled back, so nothing was saved
        logger.exception("registry import job %s could not be saved", job.pk)
        message = _(
            "保存时数据库拒绝了这批数据（可能有人刚刚登记了文件中的某家企业），"
            "未导入任何数据。请重新上传该文件，系统会重新检查每一行。"
        )
        _finish(job, ImportStatus.FAILED, errors=[RowError(1, "", message)])
        return "failed"
    _finish(job, ImportStatus.DONE, created=count)
    return "done"


def _finish(job, status, *, errors: Iterable[RowError] = (), created: int = 0) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        errors=[e.as_dict() for e in errors],
        created_count=created,
        finished_at=timezone.now(),
    )
