"""Pages of whistleblower reports: the public form, receipt and status lookup (no login,
rate-limited); the staff list (with its Excel export), detail with the step panel and the
audited reveal, the attachments through the report's door, the statistics, and the county
office's page granting and revoking the reveal."""

from __future__ import annotations

import datetime
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.permissions import filters_hidden_from
from enforcement.reports import ratelimit, services, statistics
from enforcement.reports.export import write_reports_xlsx
from enforcement.reports.filters import ReportFilter
from enforcement.reports.forms import PublicReportForm, ReceiptLookupForm, RevealGrantForm
from enforcement.reports.models import (
    Report,
    ReportAttachment,
    ReportUserObjectPermission,
    RevealGrant,
)
from enforcement.reports.permissions import (
    get_report_for_user,
    grant_refusal,
    reports_refusal,
    reveal_refusal,
)
from enforcement.reports.workflow import REPORT_WORKFLOW
from enterprises.models import Enterprise
from safetyportal.core.filters import hide_filters
from safetyportal.core.pagination import LedgerPaginator, export_query, paginate
from safetyportal.workflow import StepForbidden
from safetyportal.workflow.html import add_errors, step_view

# --- public --------------------------------------------------------------------------------


def _limited(request, template: str, context: dict | None = None):
    return render(
        request,
        template,
        {**(context or {}), "limited": gettext("操作过于频繁，请稍后再试。")},
        status=429,
    )


@login_not_required
@sensitive_post_parameters()  # an error report never carries the reporter's fields (ADR 0045)
@require_http_methods(["GET", "POST"])
def public_new(request):
    """举报: the public form (no login). A bad field or file stores nothing."""
    if request.method == "POST":
        if not ratelimit.hit(request, "submit", settings.REPORT_SUBMIT_LIMIT):
            return _limited(
                request, "enforcement/reports/public_form.html", {"form": PublicReportForm()}
            )
        form = PublicReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("anonymous")
            files = data.pop("files")
            try:
                report = services.submit_report(files=files, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(
                    request,
                    "enforcement/reports/public_receipt.html",
                    {"code": services.format_code(report.receipt_code)},
                )
        return render(request, "enforcement/reports/public_form.html", {"form": form}, status=400)
    return render(request, "enforcement/reports/public_form.html", {"form": PublicReportForm()})


NOT_FOUND = "未找到与该查询码对应的举报，请核对后重新输入（查询码共 16 位，不区分大小写）。"


@login_not_required
@sensitive_post_parameters()  # nor the receipt code
@require_http_methods(["GET", "POST"])
def public_status(request):
    """The status page, reached only with the receipt code (POSTed: the code never sits
    in a URL or an access log). A wrong, a missing and a malformed code get the same page
    and message after the same one query."""
    form = ReceiptLookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if not ratelimit.hit(request, "lookup", settings.REPORT_LOOKUP_LIMIT):
            return _limited(
                request, "enforcement/reports/public_status.html", {"form": ReceiptLookupForm()}
            )
        report = services.lookup_report(request.POST.get("code", ""))
        if report is None:
            context = {"form": ReceiptLookupForm(), "not_found": gettext(NOT_FOUND)}
        else:
            context["report"] = report
    return render(request, "enforcement/reports/public_status.html", context)


@login_not_required
@require_GET
def public_enterprise_names(request):
    """Names only (no id, address or anything else) of at most 8 registered enterprises
    containing the typed text (2 characters at least), for the form's suggestion list."""
    query = request.GET.get("enterprise_name", "").strip()[:50]
    names: list[str] = []
    if len(query) >= 2 and ratelimit.hit(request, "search", settings.REPORT_SEARCH_LIMIT):
        names = list(
            Enterprise.objects.filter(name__icontains=query)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()[:8]
        )
    return render(request, "enforcement/reports/_enterprise_names.html", {"names": names})


# --- staff -----------------------------------------------------------------------------------


def _refuse_unless_allowed(user) -> None:
    reason = reports_refusal(user)
    if reason:
        raise PermissionDenied(reason)


def _filtered(request) -> ReportFilter:
    base = Report.objects.visible_to(request.user).select_related("unit")
    filterset = ReportFilter(request.GET, queryset=base)
    hide_filters(filterset, filters_hidden_from(request.user))
    return filterset


@require_GET
def report_list(request):
    _refuse_unless_allowed(request.user)
    filterset = _filtered(request)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "today": timezone.localdate(),
        "export_query": export_query(request),
        "may_grant": grant_refusal(request.user) is None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "enforcement/reports/_report_table.html", context)
    return render(request, "enforcement/reports/report_list.html", context)


@require_GET
def report_export(request):
    """The filtered list without any identity (there is no identity column to export)."""
    _refuse_unless_allowed(request.user)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_reports_xlsx(_filtered(request).qs, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"举报-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _step_url(report: Report, step) -> str:
    return reverse("enforcement:report_step", args=[report.pk, step.name])


def _detail(request, pk, *, bound=None, status: int = 200, identity=None):
    visible = get_report_for_user(request.user, pk)
    report = (
        Report.objects.filter(pk=visible.pk)
        .select_related("unit", "town", "industry", "enterprise", "merged_into", "hazard", "case")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=ReportAttachment.objects.only("pk", "report_id", "extension"),
            ),
        )
        .get()
    )
    reward = getattr(report, "reward", None)
    context = {
        "report": report,
        "reward": reward,
        "duplicates": report.duplicates.only("pk", "received_on"),
        "today": timezone.localdate(),
        "deadlines": report.deadline_rows(timezone.localdate()),
        "steps": REPORT_WORKFLOW.panel(request.user, report, url_for=_step_url, bound=bound),
        "may_reveal": not report.is_anonymous and reveal_refusal(request.user, report) is None,
        "identity": identity,
        "may_grant": grant_refusal(request.user) is None,
    }
    return render(request, "enforcement/reports/report_detail.html", context, status=status)


@require_GET
def report_detail(request, pk: int):
    _refuse_unless_allowed(request.user)
    return _detail(request, pk)


@require_POST
def report_step(request, pk: int, step: str):
    return step_view(
        request,
        REPORT_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda report: reverse("enforcement:report_detail", args=[report.pk]),
    )


@require_POST
def report_reveal(request, pk: int):
    """The deliberate reveal: the identity in this one response only, audited."""
    try:
        identity = services.reveal_identity(actor=request.user, report_id=pk)
    except StepForbidden as error:
        raise PermissionDenied(str(error)) from None
    response = _detail(request, pk, identity=identity)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def report_attachment(request, pk: int, attachment_id: int):
    report = get_report_for_user(request.user, pk)
    attachment = ReportAttachment.objects.filter(report=report, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    content_type = "application/pdf" if attachment.extension == "pdf" else "image/jpeg"
    return FileResponse(
        attachment.file.open("rb"),
        filename=f"举报{report.pk}-附件{attachment.pk}.{attachment.extension}",
        content_type=content_type,
    )


@require_GET
def report_statistics(request):
    _refuse_unless_allowed(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    scope = Report.objects.visible_to(request.user)
    months = statistics.by_month(scope, start, end)
    context = {
        "year": year,
        "years": range(today.year, today.year - 5, -1),
        "months": months,
        "units": statistics.by_unit(scope, start, end),
        "totals": {
            key: sum((row[key] or 0) for row in months)
            for key in (
                "received",
                "handled_on_time",
                "substantiated",
                "rewards_paid",
                "rewards_amount",
            )
        },
    }
    return render(request, "enforcement/reports/statistics.html", context)


# --- grants to reveal the reporter (the county office) -----------------------------------------


def _refuse_unless_granter(user) -> None:
    reason = grant_refusal(user)
    if reason:
        raise PermissionDenied(reason)


def _grants_page(request, form, *, status: int = 200):
    """Who may reveal reporters now: per unit (RevealGrant) and per report (guardian rows of
    `reveal_reporter`), each list paginated, no identity anywhere on the page."""
    unit_grants = RevealGrant.objects.select_related("user", "unit", "granted_by").order_by(
        "unit__kind", "unit__code", "user__username", "pk"
    )
    report_grants = (
        ReportUserObjectPermission.objects.filter(permission__codename="reveal_reporter")
        .select_related("user", "user__organisation", "content_object")
        .order_by("-content_object_id", "user__username", "pk")
    )
    context = {
        "form": form,
        "unit_grants": LedgerPaginator(unit_grants, settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "report_grants": LedgerPaginator(report_grants, settings.PAGE_SIZE).get_page(
            request.GET.get("rpage")
        ),
    }
    return render(request, "enforcement/reports/reveal_grants.html", context, status=status)


@require_GET
def reveal_grants(request):
    """查看举报人身份授权: the county office's page to grant and revoke."""
    _refuse_unless_granter(request.user)
    initial = {}
    if request.GET.get("report", "").isdigit():
        initial = {"scope": "report", "report": int(request.GET["report"])}
    return _grants_page(request, RevealGrantForm(initial=initial, actor=request.user))


@require_POST
def reveal_grant_add(request):
    _refuse_unless_granter(request.user)
    form = RevealGrantForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.grant_reveal(
                actor=request.user, user=data["user"], report=data["report"], unit=data["unit"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if added:
                messages.success(request, gettext("已授权。授权和每次查看都记入审计日志。"))
            else:
                messages.info(request, gettext("此人已有该授权，未重复授权。"))
            return redirect("enforcement:report_reveal_grants")
    return _grants_page(request, form, status=400)


@require_POST
def reveal_grant_revoke(request):
    _refuse_unless_granter(request.user)
    scope = request.POST.get("scope", "")
    try:
        grant_id = int(request.POST.get("grant", ""))
    except ValueError:
        grant_id = 0
    try:
        services.revoke_reveal(actor=request.user, scope=scope, grant_id=grant_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("授权已撤销。"))
    return redirect("enforcement:report_reveal_grants")
