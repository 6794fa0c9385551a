"""The case file (案卷) PDF: the case, its documents and evidence, rendered by the Celery
task render_case_file and stored privately (served only through the case's door)."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from enforcement.cases.models import Case, FileStatus
from safetyportal.core.pdf import render_pdf

logger = logging.getLogger(__name__)


def build_case_file(case_id: int) -> str:
    """Render and store the PDF; the status the case now has. Safe to run twice (the file
    is rendered again and replaces the old one)."""
    case = (
        Case.objects.select_related(
            "unit", "town", "item", "item__delegating_department", "enterprise"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return "missing"
    try:
        html = render_to_string(
            "enforcement/cases/case_file_pdf.html",
            {
                "case": case,
                "officers": list(case.officers.order_by("pk")),
                "documents": list(case.documents.all()),
                "evidence": list(case.evidence.all()),
                "generated_at": timezone.localtime(),
            },
        )
        content = render_pdf(html)
    except Exception as error:
        logger.exception("case file of case %s could not be rendered", case_id)
        Case.objects.filter(pk=case_id).update(
            file_status=FileStatus.FAILED, file_error=str(error)[:300]
        )
        return FileStatus.FAILED
    old = case.file_pdf.name
    case.file_pdf.save(f"case-{case.pk}.pdf", ContentFile(content), save=False)
    Case.objects.filter(pk=case_id).update(
        file_pdf=case.file_pdf.name, file_status=FileStatus.READY, file_error=""
    )
    if old and old != case.file_pdf.name:
        case.file_pdf.storage.delete(old)
    return FileStatus.READY
