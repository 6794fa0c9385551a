"""Writes of the stored reports: request (or regenerate), draft and issue a numbered
bulletin, and the build a Celery task runs. See docs/decisions/0036 and 0037."""

from __future__ import annotations

import datetime
import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_event
from safetyportal.core.pdf import render_pdf_with_pages
from safetyportal.core.queue import enqueue_on_commit
from safetyportal.core.reports import ReportKind, get_kind, last_half_month
from safetyportal.dashboard.models import IN_PROGRESS, Report, ReportNumber, ReportStatus
from safetyportal.dashboard.reports.permissions import get_report_for_user, may_issue
from safetyportal.notifications.services import notify_many
from safetyportal.workflow import StepNotAllowed

logger = logging.getLogger(__name__)
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')
QUEUE_DOWN = _("任务队列暂不可用，报告未能开始生成，请稍后点击“重新生成”。")


def file_name_for(title: str) -> str:
    """`2026年度小渡口镇隐患排查治理报告.pdf`: the title, without characters a file system
    refuses."""
    return _UNSAFE_IN_FILE_NAMES.sub("", title)[:190] + ".pdf"


def _kind_or_refuse(key: str) -> ReportKind:
    kind = get_kind(key)
    if kind is None:
        raise ValidationError({"kind": _("没有这种报告类型，请从列表中选择。")})
    return kind


def _check_unit(kind: ReportKind, unit) -> None:
    if unit is None and not kind.countywide:
        raise ValidationError({"unit": _("请选择报告所属的单位。")})
    if unit is not None and unit.kind not in kind.unit_kinds:
        raise ValidationError(
            {
                "unit": _("“%(kind)s”不为“%(unit)s”这类单位生成，请另选单位或留空（全县）。")
                % {"kind": kind.label, "unit": unit}
            }
        )


def _enqueue(report: Report) -> None:
    from safetyportal.dashboard.tasks import build_report

    def unreachable(error: Exception) -> None:
        Report.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
            status=ReportStatus.FAILED, error=QUEUE_DOWN
        )

    enqueue_on_commit(build_report, report.pk, on_unreachable=unreachable)


def request_report(
    *,
    actor,
    kind: str,
    unit,
    period_start: datetime.date,
    period_end: datetime.date,
    period_label: str,
) -> Report:
    """Queue the report of `kind` for `unit` (None: the county) and the period, or, when it
    is stored already, regenerate it (the new file replaces the old one). A formal numbered
    document is only drafted here; it is issued from its preview."""
    spec = _kind_or_refuse(kind)
    _check_unit(spec, unit)
    if not spec.may_request(actor, unit):
        raise PermissionDenied(_("您没有生成该报告的权限。"))
    with transaction.atomic():
        existing = (
            Report.objects.select_for_update()
            .filter(kind=kind, unit=unit, period_start=period_start, period_end=period_end)
            .first()
        )
        if existing is not None:
            if existing.status in (*IN_PROGRESS, ReportStatus.DRAFT):
                return existing  # already on its way (or waiting to be issued)
            return _regenerate(existing, actor)
        title = spec.title(unit=unit, period_label=period_label)
        report = Report(
            kind=kind,
            unit=unit,
            period_start=period_start,
            period_end=period_end,
            period_label=period_label,
            title=title,
            file_name=file_name_for(title),
            requested_by=actor,
            status=ReportStatus.DRAFT if spec.issued else ReportStatus.PENDING,
            progress_message=_("待签发") if spec.issued else _("排队等待生成"),
        )
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # someone asked for the same report a moment ago: theirs is the one
            return Report.objects.get(
                kind=kind, unit=unit, period_start=period_start, period_end=period_end
            )
        if spec.issued:
            record_event(actor=actor, verb="report.drafted", target=report)
        else:
            record_event(actor=actor, verb="report.requested", target=report)
            _enqueue(report)
    return report


def regenerate_report(*, actor, report_id: int) -> Report:
    """Render a stored report again; the new file replaces the old one (audited)."""
    report = get_report_for_user(actor, report_id)
    spec = _kind_or_refuse(report.kind)
    if not spec.may_request(actor, report.unit):
        raise PermissionDenied(_("您没有重新生成该报告的权限。"))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status in IN_PROGRESS:
            return report
        if not report.allows("request"):
            raise StepNotAllowed(_("通报尚未签发，请先预览并签发。"))
        return _regenerate(report, actor)


def _regenerate(report: Report, actor) -> Report:
    report.move("request")
    report.progress, report.progress_message, report.error = 0, _("排队等待生成"), ""
    report.requested_by, report.requested_at = actor, timezone.now()
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
        actor=actor,
        verb="report.regenerated",
        target=report,
        payload={"replaces": report.file.name or "", "generated_at": report.generated_at},
    )
    _enqueue(report)
    return report


# --- numbered documents (the bulletin) -----------------------------------------------------


def take_report_number(*, kind: str, year: int) -> int:
    """The next number of `kind` in `year`, without gaps or duplicates (the counter row is
    locked until the issuing transaction ends; a rollback gives the number back)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_report_number must run inside the document's transaction")
    counter = ReportNumber.objects.select_for_update().filter(kind=kind, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                ReportNumber.objects.create(kind=kind, year=year)
        except IntegrityError:
            pass
        counter = ReportNumber.objects.select_for_update().get(kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def issue_report(*, actor, report_id: int) -> Report:
    """Issue a drafted document: its number (澧安办通〔2026〕12号), its content frozen as it
    stands now, and the PDF queued."""
    report = get_report_for_user(actor, report_id)
    spec = _kind_or_refuse(report.kind)
    if not may_issue(actor, spec):
        raise PermissionDenied(_("只有县安委办可以签发通报。"))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not report.allows("issue"):
            raise StepNotAllowed(
                _("该通报已签发（%(number)s），不能再次签发。") % {"number": report.number}
            )
        today = timezone.localdate()
        if report.period_end >= today:
            raise ValidationError(
                _("统计期间截至 %(end)s，期满后才能签发。") % {"end": report.period_end}
            )
        year = today.year
        number = take_report_number(kind=report.kind, year=year)
        report.number = f"{spec.number_prefix}〔{year}〕{number}号"
        report.content = spec.snapshot(
            period_start=report.period_start, period_end=report.period_end
        )
        report.move("issue")
        report.progress, report.progress_message = 0, _("排队等待生成")
        report.requested_by, report.requested_at = actor, timezone.now()
        report.save(
            update_fields=[
                "number",
                "content",
                "status",
                "progress",
                "progress_message",
                "requested_by",
                "requested_at",
            ]
        )
        record_event(
            actor=actor,
            verb="report.issued",
            target=report,
            payload={"number": report.number, **report.content.get("totals", {})},
        )
        _enqueue(report)
    return report


def draft_bulletin(*, today: datetime.date | None = None) -> Report | None:
    """The periodic job: draft the bulletin of the half month that just ended (once) and
    tell the county office it waits for preview and issue. Safe to run twice."""
    from safetyportal.dashboard.report_kinds import BULLETIN

    today = today or timezone.localdate()
    start, end, label = last_half_month(today)
    spec = _kind_or_refuse(BULLETIN)
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
