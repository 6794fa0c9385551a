"""Excel import (upload, progress, row-by-row errors) and export of the registry."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from enterprises import importing
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise, ImportJob
from enterprises.permissions import can_register_enterprise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("企业名录 Excel 文件（.xlsx）"))


def _require_importer(user) -> None:
    if not can_register_enterprise(user):
        raise PermissionDenied(gettext("您没有导入企业名录的权限。"))


@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.create_import_job(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("enterprises:import_job", pk=job.pk)
    return render(request, "enterprises/import_upload.html", {"form": form})


@require_GET
def import_template(request):
    _require_importer(request.user)
    response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response


@require_GET
def import_job(request, pk: int):
    """The job's progress; htmx polls the progress partial until it finishes."""
    _require_importer(request.user)
    try:
        job = ImportJob.objects.get(pk=pk, created_by=request.user)
    except (ImportJob.DoesNotExist, ValueError):
        raise Http404("import job not found") from None
    template = (
        "enterprises/_import_progress.html"
        if request.headers.get("HX-Request")
        else "enterprises/import_job.html"
    )
    return render(request, template, {"job": job})


@require_GET
def enterprise_export(request):
    """The filtered list (same filters as the list page) as .xlsx."""
    base = Enterprise.objects.visible_to(request.user)
    filterset = EnterpriseFilter(request.GET, queryset=base)
    response = HttpResponse(importing.export_workbook(filterset.qs), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="enterprises-{stamp}.xlsx"'
    return response
