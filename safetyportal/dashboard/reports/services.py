"""Writes of the stored reports: request (or regenerate), draft and issue a numbered
bulletin, and the build a Celery task runs. See docs/decisions/0036 and 0037."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetyportal.audit.services import record_event
from safetyportal.core.queue import enqueue_on_commit
from safetyportal.core.reports import get_kind
from safetyportal.dashboard.models import IN_PROGRESS, Report, ReportNumber, ReportStatus
from safetyportal.dashboard.reports.jobs import (
    check_available,
    check_unit,
    file_name_for,
    kind_or_refuse,
)
from safetyportal.dashboard.reports.permissions import get_report_for_user, may_issue
from safetyportal.workflow import StepNotAllowed

logger = logging.getLogger(__name__)
QUEUE_DOWN = _("任务队列暂不可用，报告未能开始生成，请稍后点击“重新生成”。")


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
    spec = kind_or_refuse(kind)
    check_unit(spec, unit)
    if not spec.may_request(actor, unit):
        raise PermissionDenied(_("您没有生成该报告的权限。"))
    check_available(spec, unit, period_start, period_end)
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
    spec = get_kind(report.kind)
    if spec is None:  # a kind no longer offered: nobody may render it again (not a 500)
        raise PermissionDenied(_("该报告类型已不再提供，无法重新生成。"))
    if not spec.may_request(actor, report.unit):
        raise PermissionDenied(_("您没有重新生成该报告的权限。"))
    check_available(spec, report.unit, report.period_start, report.period_end)
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
    spec = get_kind(report.kind)
    if spec is None or not may_issue(actor, spec):
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
        assert spec.snapshot is not None  # an issued kind declares its snapshot
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
