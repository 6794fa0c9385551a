"""The work the Celery tasks do for stored reports: build one report's PDF, draft the
half-monthly bulletin. Kept apart from services.py, which queues the tasks (no cycle)."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_event
from safetyportal.core.pdf import render_pdf_with_pages
from safetyportal.core.reports import ReportKind, get_kind, last_half_month
from safetyportal.dashboard.models import IN_PROGRESS, Report, ReportStatus
from safetyportal.notifications.services import notify_many

logger = logging.getLogger(__name__)
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def file_name_for(title: str) -> str:
    """`2026年度小渡口镇隐患排查治理报告.pdf`: the title, without characters a file system
    refuses."""
    return _UNSAFE_IN_FILE_NAMES.sub("", title)[:190] + ".pdf"


def kind_or_refuse(key: str) -> ReportKind:
    kind = get_kind(key)
    if kind is None:
        raise ValidationError({"kind": _("没有这种报告类型，请从列表中选择。")})
    return kind


def check_unit(kind: ReportKind, unit) -> None:
    if unit is None and not kind.countywide:
        raise ValidationError({"unit": _("请选择报告所属的单位。")})
    if unit is not None and unit.kind not in kind.unit_kinds:
        raise ValidationError(
            {
                "unit": _("“%(kind)s”不为“%(unit)s”这类单位生成，请另选单位或留空（全县）。")
                % {"kind": kind.label, "unit": unit}
            }
        )


def check_available(kind: ReportKind, unit, period_start, period_end) -> None:
    """Refuse a report its kind cannot make now (the appraisal of a year with no results)."""
    if kind.unavailable is not None:
        reason = kind.unavailable(unit=unit, period_start=period_start, period_end=period_end)
        if reason:
            raise ValidationError(reason)


def draft_bulletin(*, today: datetime.date | None = None) -> Report | None:
    """The periodic job: draft the bulletin of the half month that just ended (once) and
    tell the county office it waits for preview and issue. Safe to run twice."""
    from safetyportal.dashboard.report_kinds import BULLETIN

    today = today or timezone.localdate()
    start, end, label = last_half_month(today)
    spec = kind_or_refuse(BULLETIN)
    title = spec.title(unit=None, period_label=label)
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            kind=BULLETIN,
            unit=None,
            period_start=start,
            period_end=end,
            defaults={
                "period_label": label,
                "title": title,
                "file_name": file_name_for(title),
                "status": ReportStatus.DRAFT,
                "progress_message": _("待签发"),
            },
        )
        if created:
            record_event(actor=None, verb="report.drafted", target=report)
    if report.status == ReportStatus.DRAFT:
        office = User.objects.filter(role=Role.COUNTY_OFFICE, is_active=True)
        notify_many(
            recipients=office,
            title=_("%(title)s草稿已生成，请预览后签发") % {"title": title},
            url=reverse("reports:preview", args=[report.pk]),
            dedupe_key=f"report-draft-{report.pk}",
        )
    return report


def ensure_report(
    *,
    kind: str,
    unit,
    period_start: datetime.date,
    period_end: datetime.date,
    period_label: str,
    enqueue: Callable[[Report], None],
) -> Report | None:
    """A periodic job's request (no actor): store the report and `enqueue` it when none is
    stored, queue a failed one again, and leave a stored, queued or running one alone (a
    second run makes no new file). The report queued, or None. The caller passes how to
    queue (safetyportal.dashboard.tasks.queue_build): this module never imports the tasks."""
    spec = kind_or_refuse(kind)
    check_unit(spec, unit)
    if spec.unavailable is not None and spec.unavailable(
        unit=unit, period_start=period_start, period_end=period_end
    ):
        return None
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(kind=kind, unit=unit, period_start=period_start, period_end=period_end)
            .first()
        )
        if report is not None:
            if report.status != ReportStatus.FAILED:
                return None
            replaced = report.file.name or ""
            report.move("request")
            report.progress, report.progress_message, report.error = 0, _("排队等待生成"), ""
            report.requested_by, report.requested_at = None, timezone.now()
            report.save(
                update_fields=[
                    "status",
                    "progress",
                    "progress_message",
                    "error",
                    "requested_by",
                    "requested_at",
                ]
            )
            record_event(
                actor=None,
                verb="report.regenerated",
                target=report,
                payload={"replaces": replaced, "generated_at": report.generated_at},
            )
        else:
            title = spec.title(unit=unit, period_label=period_label)
            report = Report.objects.create(
                kind=kind,
                unit=unit,
                period_start=period_start,
                period_end=period_end,
                period_label=period_label,
                title=title,
                file_name=file_name_for(title),
                status=ReportStatus.PENDING,
                progress_message=_("排队等待生成"),
            )
            record_event(actor=None, verb="report.requested", target=report)
        enqueue(report)
    return report


def mark_unqueued(report_id: int) -> None:
    """The broker refused the build: the report fails, saying so (a job retries it)."""
    Report.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
        status=ReportStatus.FAILED,
        error=_("任务队列暂不可用，报告未能开始生成，请稍后点击“重新生成”。"),
    )


# --- the build (run by the Celery task) ----------------------------------------------------


def _progress(report_id: int):
    def progress(percent: int, message: str) -> None:
        Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
            progress=max(0, min(percent, 99)), progress_message=message[:100]
        )

    return progress


def build_report(report_id: int) -> str:
    """Render and store the PDF of a queued report; the status it now has. Safe to run twice:
    a report no longer queued or running is left alone; one left "running" by a worker that
    died is rendered again (the task is acknowledged late)."""
    report = Report.objects.select_related("unit").filter(pk=report_id).first()
    if report is None:
        return "missing"
    if report.status not in IN_PROGRESS:
        return report.status
    spec = get_kind(report.kind)
    Report.objects.filter(pk=report_id).update(
        status=ReportStatus.RUNNING, progress=5, progress_message=_("读取数据")
    )
    progress = _progress(report_id)
    try:
        if spec is None:
            raise ValueError(f"unknown report kind {report.kind!r}")
        context = spec.context(
            unit=report.unit,
            period_start=report.period_start,
            period_end=report.period_end,
            content=report.content,
            progress=progress,
        )
        progress(70, _("排版 PDF"))
        html = render_to_string(
            spec.template, {**context, "report": report, "generated_at": timezone.localtime()}
        )
        content, pages = render_pdf_with_pages(html)
    except Exception as error:
        logger.exception("report %s could not be rendered", report_id)
        with transaction.atomic():
            Report.objects.filter(pk=report_id).update(
                status=ReportStatus.FAILED, error=str(error)[:300], progress_message=""
            )
            record_event(
                actor=None, verb="report.failed", target=report, payload={"error": str(error)[:300]}
            )
        return ReportStatus.FAILED
    progress(95, _("保存文件"))
    old = report.file.name
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    report.file.save(f"report-{report.pk}-{stamp}.pdf", ContentFile(content), save=False)
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(
            file=report.file.name,
            status=ReportStatus.READY,
            progress=100,
            progress_message=_("已生成"),
            generated_at=timezone.now(),
            pages=pages,
            error="",
        )
        record_event(
            actor=None,
            verb="report.generated",
            target=report,
            payload={"pages": pages, "bytes": len(content), "replaced": old or ""},
        )
    if old and old != report.file.name:
        report.file.storage.delete(old)
    return ReportStatus.READY
