"""Start a registry import: store the upload and queue its task (whose body is
enterprises/importing/jobs.py)."""

from __future__ import annotations

from django.db import transaction

from enterprises.importing.models import ImportJob
from enterprises.permissions import Action, require
from enterprises.tasks import run_registry_import
from safetyportal.core.uploads import EXCEL, check_upload


def create_import_job(*, actor, upload) -> ImportJob:
    """Store the upload and queue the import after commit."""
    require(actor, Action.IMPORT)
    check_upload(upload, allowed=EXCEL)
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=upload, original_name=upload.name[:200], created_by=actor
        )
        transaction.on_commit(lambda: run_registry_import.delay(job.pk))
    return job
