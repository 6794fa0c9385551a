"""The stored reports' pages: the list (per role scope), the request form, the detail with
its progress (polled by htmx while it runs) and the download; the bulletin's preview and
issue. Files are served only through `report_download` (the report's door)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case as SqlCase
from django.db.models import CharField, F, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hazards.permissions import bulletins_visible_to
from safetyportal.core.exports import Column, xlsx_download
from safetyportal.core.pagination import paginate
from safetyportal.core.reports import get_kind, registered
from safetyportal.dashboard.models import IN_PROGRESS, Report, ReportStatus
from safetyportal.dashboard.reports import services
from safetyportal.dashboard.reports.bulletin import document_context
from safetyportal.dashboard.reports.forms import ReportFilter, ReportRequestForm, requestable_kinds
from safetyportal.dashboard.reports.permissions import (
    get_report_for_user,
    may_issue,
    may_use_reports,
)
from safetyportal.workflow import StepNotAllowed
from safetyportal.workflow.html import add_errors


def _refuse_unless_official(user) -> None:
    if not may_use_reports(user):
        raise PermissionDenied(gettext("报告仅供县、镇街和部门工作人员查看。"))


def _filtered(request) -> ReportFilter:
    _refuse_unless_official(request.user)
    base = Report.objects.visible_to(request.user).select_related("unit")
    return ReportFilter(request.GET, queryset=base)


@require_GET
def report_list(request):
    filterset = _filtered(request)
    page = paginate(request, filterset.qs)
    kinds = {kind.key: kind.label for kind in registered()}
    context = {
        "filter": filterset,
        "page": page,
        "kinds": kinds,
        "can_request": bool(requestable_kinds(request.user)),
        # the unnumbered bulletins made before the numbered one (ADR 0042): an archive
        "legacy_bulletins": bulletins_visible_to(request.user).exists(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "dashboard/reports/_report_table.html", context)
    return render(request, "dashboard/reports/report_list.html", context)


@require_GET
def report_export(request):
    """The filtered list as .xlsx (the kind's label in SQL, from the registry)."""
    kind_label = SqlCase(
        *[When(kind=kind.key, then=Value(str(kind.label))) for kind in registered()],
        default=F("kind"),
        output_field=CharField(),
    )
    rows = _filtered(request).qs.annotate(kind_label=kind_label)
    columns: list[Column] = [
        "title",
        "number",
        ("kind_label", gettext("报告类型"), 16),
        ("unit__name", gettext("单位")),
        "period_label",
        "status",
        "pages",
        "generated_at",
    ]
    return xlsx_download(rows, columns, sheet=gettext("报告与通报"), filename=gettext("报告与通报"))


@require_http_methods(["GET", "POST"])
def report_request(request):
    _refuse_unless_official(request.user)
    if not requestable_kinds(request.user):
        raise PermissionDenied(gettext("您没有可以生成的报告类型。"))
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.request_report(
                actor=request.user,
                kind=data["kind"],
                unit=data["unit"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                period_label=data["period_label"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if report.status == ReportStatus.DRAFT:
                messages.info(request, gettext("通报草稿已拟制，请预览后签发。"))
                return redirect("reports:preview", pk=report.pk)
            messages.success(request, gettext("报告已开始生成，本页会显示进度。"))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "dashboard/reports/report_form.html", {"form": form})


def _detail_context(request, report) -> dict:
    kind = get_kind(report.kind)
    return {
        "report": report,
        "kind_label": kind.label if kind else report.kind,
        "running": report.status in IN_PROGRESS,
        "can_regenerate": kind is not None
        and kind.may_request(request.user, report.unit)
        and report.allows("request"),
        "can_issue": kind is not None and may_issue(request.user, kind) and report.allows("issue"),
        "is_document": kind is not None and kind.issued,
    }


@require_GET
def report_detail(request, pk: int):
    report = get_report_for_user(request.user, pk)
    return render(request, "dashboard/reports/report_detail.html", _detail_context(request, report))


@require_GET
def report_status(request, pk: int):
    """The progress panel alone (htmx polls it every 2 s while the report runs)."""
    report = get_report_for_user(request.user, pk)
    return render(request, "dashboard/reports/_status.html", _detail_context(request, report))


@require_GET
def report_download(request, pk: int):
    report = get_report_for_user(request.user, pk)
    if report.status != ReportStatus.READY or not report.file:
        raise Http404("not generated")
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def report_regenerate(request, pk: int):
    try:
        report = services.regenerate_report(actor=request.user, report_id=pk)
    except StepNotAllowed as error:
        messages.error(request, str(error))
        return redirect("reports:detail", pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "dashboard/reports/_status.html", _detail_context(request, report))
    messages.success(request, gettext("报告正在重新生成，完成后将替换原文件。"))
    return redirect("reports:detail", pk=report.pk)


@require_GET
def report_preview(request, pk: int):
    """A numbered document as it would be issued now (a draft), or as it was issued."""
    report = get_report_for_user(request.user, pk)
    kind = get_kind(report.kind)
    if kind is None or not kind.issued or kind.snapshot is None:
        raise Http404("not a document")
    if report.status == ReportStatus.DRAFT:
        content = kind.snapshot(period_start=report.period_start, period_end=report.period_end)
    else:
        content = report.content
    return render(
        request,
        "dashboard/reports/bulletin_preview.html",
        {
            **_detail_context(request, report),
            **document_context(content),
            "today": timezone.localdate(),
            "period_over": report.period_end < timezone.localdate(),
        },
    )


@require_POST
def report_issue(request, pk: int):
    try:
        report = services.issue_report(actor=request.user, report_id=pk)
    except (StepNotAllowed, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:preview", pk=pk)
    messages.success(
        request, gettext("已签发 %(number)s，PDF 正在生成。") % {"number": report.number}
    )
    return redirect("reports:detail", pk=report.pk)
