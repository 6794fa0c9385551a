"""Excel import (upload, progress, row-by-row errors) and export of the registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from enterprises.importing import services
from enterprises.importing.export import export_workbook
from enterprises.importing.forms import ImportForm
from enterprises.importing.rows import template_workbook
from enterprises.permissions import Action, get_import_job_for_user, require
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.models import Enterprise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_import_job(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("enterprises:import_job", pk=job.pk)
    return render(request, "enterprises/import_upload.html", {"form": form})


@require_GET
def import_template(request):
    require(request.user, Action.IMPORT)
    response = HttpResponse(template_workbook(actor=request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response


@require_GET
def import_job(request, pk: int):
    """The job's progress; htmx polls the progress partial until it finishes."""
    require(request.user, Action.IMPORT)
    job = get_import_job_for_user(request.user, pk)
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
    response = HttpResponse(export_workbook(filterset.qs), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="enterprises-{stamp}.xlsx"'
    return response
