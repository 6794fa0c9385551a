"""Statutory-duty pages: add and void records, download documents, follow-up lists,
and the enterprise file as PDF."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.duties import services
from enterprises.duties.compliance import Check, Status
from enterprises.duties.forms import DUTY_KINDS, make_form
from enterprises.duties.models import FILE_KINDS
from enterprises.duties.selectors import failing_statuses
from enterprises.panels import ENTERPRISE_FILE_PDF
from enterprises.permissions import (
    Action,
    get_duty_document_for_user,
    get_duty_record_for_user,
    get_enterprise_for_user,
    require,
)
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.models import Enterprise
from enterprises.registry.views import enterprise_file_context
from safetyportal.core.pagination import paginate
from safetyportal.core.pdf import render_pdf

FAILING_STATUSES = [s for s in Status.values if s != Status.PASS]


def _duties_url(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk]) + "#duties"


def _kind_or_404(kind: str):
    try:
        return DUTY_KINDS[kind]
    except KeyError:
        raise Http404("unknown duty kind") from None


@require_http_methods(["GET", "POST"])
def duty_add(request, pk: int, kind: str):
    enterprise = get_enterprise_for_user(request.user, pk)
    duty_kind = _kind_or_404(kind)
    require(request.user, Action.ADD_DUTY, enterprise)
    form = make_form(
        duty_kind,
        enterprise=enterprise,
        data=request.POST if request.method == "POST" else None,
        files=request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_duty_record(
                actor=request.user, enterprise=enterprise, kind=kind, values=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("%(kind)s已保存。") % {"kind": duty_kind.label})
            return redirect(_duties_url(enterprise))
    return render(
        request,
        "enterprises/duty_form.html",
        {"form": form, "enterprise": enterprise, "duty_kind": duty_kind},
    )


@require_POST
def duty_void(request, pk: int, kind: str, record_pk: int):
    """Void a record entered by mistake, with the reason (it is kept: ADR 0046)."""
    enterprise = get_enterprise_for_user(request.user, pk)
    _kind_or_404(kind)
    require(request.user, Action.VOID_DUTY, enterprise)
    try:
        services.void_duty_record(
            actor=request.user,
            enterprise=enterprise,
            kind=kind,
            record_id=record_pk,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("记录已作废。"))
    return redirect(_duties_url(enterprise))


def _file_response(record) -> FileResponse:
    if not record.file:
        raise Http404("no file")
    return FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.file.name.rsplit("/", 1)[-1]
    )


@require_GET
def duty_document_download(request, pk: int, record_pk: int):
    return _file_response(get_duty_document_for_user(request.user, record_pk, enterprise_id=pk))


@require_GET
def duty_file_download(request, pk: int, kind: str, record_pk: int):
    """The file of a duty record that carries one (a certificate or training scan)."""
    if kind not in FILE_KINDS:
        raise Http404("this kind has no file")
    record = get_duty_record_for_user(
        request.user, DUTY_KINDS[kind].model, record_pk, enterprise_id=pk
    )
    return _file_response(record)


def _followup(request):
    require(request.user, Action.FOLLOW_UP)
    check = request.GET.get("check") or Check.INSURANCE
    if check not in Check.values:
        check = Check.INSURANCE
    status = request.GET.get("result") or ""
    if status not in FAILING_STATUSES:
        status = ""
    filterset = EnterpriseFilter(request.GET, queryset=Enterprise.objects.visible_to(request.user))
    rows = failing_statuses(request.user, filterset, check=check, status=status)
    return check, status, filterset, rows


def followup_rows(request):
    """The follow-up list's rows (its export's) and the chosen check's label."""
    check, _status, _filterset, rows = _followup(request)
    return rows, Check(check).label


@require_GET
def compliance_followup(request):
    """Enterprises in the user's jurisdiction failing one check, for follow-up: a query
    over the stored results (enterprises/duties/judging.py keeps them)."""
    check, status, filterset, rows = _followup(request)
    return render(
        request,
        "enterprises/compliance_followup.html",
        {
            "filter": filterset,
            "check": check,
            "checks": Check.choices,
            "status": status,
            "statuses": [(s.value, s.label) for s in Status if s in FAILING_STATUSES],
            "page": paginate(request, rows),
        },
    )


@require_GET
def enterprise_file_pdf(request, pk: int):
    """The enterprise file (registry, duties, assessments) as a PDF."""
    enterprise = get_enterprise_for_user(request.user, pk)
    # the file is a Chinese document whatever the interface language (its template is
    # not translated; this keeps the compliance labels and messages Chinese too)
    with translation.override(settings.LANGUAGE_CODE):
        context = enterprise_file_context(request.user, enterprise, page=ENTERPRISE_FILE_PDF)
        html = render_to_string("enterprises/enterprise_file_pdf.html", context, request=request)
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="enterprise-{enterprise.pk}.pdf"'
    return response
