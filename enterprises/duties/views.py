"""Statutory-duty pages: add and remove records, download documents, follow-up lists,
and the enterprise file as PDF."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises import duty_services
from enterprises.compliance import Check
from enterprises.duties import DutyDocument
from enterprises.duty_forms import DUTY_KINDS, make_form
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from enterprises.permissions import can_follow_up, can_maintain_duties, get_enterprise_for_user
from enterprises.selectors import failing_enterprises
from safetyportal.core.pagination import paginate


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
    if not can_maintain_duties(request.user, enterprise):
        raise PermissionDenied(gettext("只有本企业的管理人员可以填报法定职责记录。"))
    form = make_form(
        duty_kind,
        enterprise=enterprise,
        data=request.POST if request.method == "POST" else None,
        files=request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            duty_services.add_duty_record(
                actor=request.user, enterprise=enterprise, kind=kind, values=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("已保存%(kind)s记录。") % {"kind": duty_kind.label})
            return redirect(_duties_url(enterprise))
    return render(
        request,
        "enterprises/duty_form.html",
        {"form": form, "enterprise": enterprise, "duty_kind": duty_kind},
    )


@require_POST
def duty_delete(request, pk: int, kind: str, record_pk: int):
    enterprise = get_enterprise_for_user(request.user, pk)
    _kind_or_404(kind)
    if not can_maintain_duties(request.user, enterprise):
        raise PermissionDenied(gettext("只有本企业的管理人员可以删除法定职责记录。"))
    try:
        duty_services.delete_duty_record(
            actor=request.user, enterprise=enterprise, kind=kind, record_id=record_pk
        )
    except DUTY_KINDS[kind].model.DoesNotExist:
        raise Http404("record not found") from None
    messages.success(request, gettext("记录已删除。"))
    return redirect(_duties_url(enterprise))


@require_GET
def duty_document_download(request, pk: int, record_pk: int):
    enterprise = get_enterprise_for_user(request.user, pk)
    try:
        document = DutyDocument.objects.get(enterprise=enterprise, pk=record_pk)
    except DutyDocument.DoesNotExist:
        raise Http404("document not found") from None
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@require_GET
def compliance_followup(request):
    """Enterprises in the user's jurisdiction failing one check, for follow-up."""
    if not can_follow_up(request.user):
        raise PermissionDenied(gettext("该页面供监管部门和镇街使用。"))
    check = request.GET.get("check") or Check.INSURANCE
    if check not in Check.values:
        check = Check.INSURANCE
    base = Enterprise.objects.visible_to(request.user)
    filterset = EnterpriseFilter(request.GET, queryset=base)
    rows = failing_enterprises(filterset.qs, check=check, today=timezone.localdate())
    return render(
        request,
        "enterprises/compliance_followup.html",
        {
            "filter": filterset,
            "check": check,
            "checks": Check.choices,
            "page": paginate(request, rows),
        },
    )


@require_GET
def enterprise_file_pdf(request, pk: int):
    """The enterprise file (registry, duties, assessments) as a PDF."""
    from weasyprint import HTML

    from enterprises.views import enterprise_file_context

    enterprise = get_enterprise_for_user(request.user, pk)
    # the file is a Chinese document whatever the interface language (its template is
    # not translated; this keeps the compliance labels and messages Chinese too)
    with translation.override(settings.LANGUAGE_CODE):
        context = enterprise_file_context(request.user, enterprise)
        html = render_to_string("enterprises/enterprise_file_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="enterprise-{enterprise.pk}.pdf"'
    return response
