"""The ledger's pages. Workflow steps are declared in hazards/workflow.py; one helper of the
workflow kit handles every step's POST. The risk register's pages are in risk_views.py."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.permissions import pinned_town_id
from hazards import forms, services
from hazards.escalation import escalation_gaps, interview_draft
from hazards.export import write_ledger_xlsx
from hazards.filters import HazardFilter
from hazards.models import AttachmentKind, Hazard, StepNotAllowed
from hazards.permissions import (
    bulletins_visible_to,
    get_attachment_for_user,
    get_bulletin_for_user,
    get_hazard_for_user,
    may,
    refusal,
)
from hazards.selectors import hazard_for_detail
from hazards.workflow import HAZARD_WORKFLOW
from safetyportal.core.filters import pin_town
from safetyportal.core.pagination import export_query, paginate
from safetyportal.core.pdf import render_pdf
from safetyportal.core.uploads import THUMBNAIL_SIZES, thumbnail
from safetyportal.workflow.html import add_errors, step_view


def _ledger(request):
    base = Hazard.objects.visible_to(request.user).with_list_relations()
    return HazardFilter(request.GET, queryset=base)


@require_GET
def hazard_list(request):
    filterset = _ledger(request)
    pin_town(filterset, pinned_town_id(request.user))
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "today": timezone.localdate(),
        "can_report": may(request.user, "report"),
        "export_query": export_query(request),
    }
    if request.headers.get("HX-Request"):
        # the export link sits outside the table: sent again out of band with the new query
        return render(request, "hazards/_hazard_table.html", {**context, "oob": True})
    return render(request, "hazards/hazard_list.html", context)


@require_GET
def hazard_export(request):
    """Exactly the filtered list, streamed from a temporary file (constant memory)."""
    filterset = _ledger(request)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_ledger_xlsx(filterset.qs, handle)
    handle.seek(0)
    filename = f"隐患台账-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_http_methods(["GET", "POST"])
def hazard_create(request):
    reason = refusal(request.user, None, "report")
    if reason:
        raise PermissionDenied(reason)
    form = forms.HazardReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.report_hazard(actor=request.user, **form.cleaned_data)
        except StepNotAllowed as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已登记隐患 %(code)s。") % {"code": hazard.code})
            return redirect("hazards:detail", pk=hazard.pk)
    status = 400 if form.errors else 200
    return render(request, "hazards/hazard_form.html", {"form": form}, status=status)


def _step_url(hazard: Hazard, step) -> str:
    return reverse("hazards:step", args=[hazard.pk, step.name])


def _attachment_groups(attachments) -> list[tuple[str, str, list]]:
    """Photos and files by what they show (before, progress, after, on-site check), each
    group under its label, in the order of the hazard's life."""
    order = [
        AttachmentKind.PHOTO,
        AttachmentKind.PROGRESS,
        AttachmentKind.EVIDENCE,
        AttachmentKind.VERIFICATION,
        AttachmentKind.DOCUMENT,
    ]
    groups: dict[str, list] = {kind: [] for kind in order}
    for item in attachments:
        groups.setdefault(item.kind, []).append(item)
    return [(AttachmentKind(kind).label, kind, items) for kind, items in groups.items() if items]


def _detail(request, pk, *, bound: dict | None = None, status: int = 200):
    hazard = hazard_for_detail(request.user, pk)
    steps = HAZARD_WORKFLOW.panel(request.user, hazard, url_for=_step_url, bound=bound)
    context = {
        "hazard": hazard,
        "listing": getattr(hazard, "listing", None),
        "slip": getattr(hazard, "slip", None),
        "progress": hazard.progress_entries.all(),
        "attachment_groups": _attachment_groups(hazard.attachments.all()),
        "verifications": hazard.verifications.all(),
        "extensions": hazard.extensions.all(),
        "accountability": hazard.accountability.all(),
        "explanations": hazard.explanations.all(),
        "supervisions": hazard.supervisions.all(),
        "assessment_answers": hazard.assessment_answers.all(),
        "steps": steps,
        # the steps the user may take now, by name (their forms)
        "forms": {panel.name: panel.form for panel in steps if panel.enabled},
        "today": timezone.localdate(),
    }
    return render(request, "hazards/hazard_detail.html", context, status=status)


@require_GET
def hazard_detail(request, pk: int):
    return _detail(request, pk)


@require_POST
def hazard_step(request, pk: int, step: str):
    return step_view(
        request,
        HAZARD_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda hazard: reverse("hazards:detail", args=[hazard.pk]),
    )


@require_GET
def slip_pdf(request, pk: int):
    """The printable 交办单 (small: rendered in the request)."""
    hazard = get_hazard_for_user(request.user, pk)
    slip = getattr(hazard, "slip", None)
    if slip is None:
        raise Http404("no slip")
    html = render_to_string(
        "hazards/slip_pdf.html",
        {"hazard": hazard, "slip": slip, "listing": getattr(hazard, "listing", None)},
    )
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{slip.pk}.pdf"'
    return response


@require_GET
def attachment(request, pk: int):
    """Photos and documents, only through this access check (never MEDIA_URL);
    `?size=thumb` answers a small JPEG of a photo (made once, then kept)."""
    item = get_attachment_for_user(request.user, pk)
    size = request.GET.get("size")
    if size is not None:
        if size not in THUMBNAIL_SIZES or not item.is_image:
            raise Http404("no such thumbnail")
        small = thumbnail(item.file, key=f"hazards-{item.pk}", size=size)
        if small is None:
            raise Http404("no thumbnail")
        response = HttpResponse(small, content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=86400"
        return response
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 通报 and 约谈 ------------------------------------------------------------------------


def _refuse_unless(user, action: str) -> None:
    reason = refusal(user, None, action)
    if reason:
        raise PermissionDenied(reason)


@require_GET
def bulletin_list(request):
    _refuse_unless(request.user, "view_bulletins")
    return render(
        request,
        "hazards/bulletin_list.html",
        {
            "bulletins": bulletins_visible_to(request.user)[:50],
        },
    )


@require_POST
def bulletin_create(request):
    _refuse_unless(request.user, "generate_bulletin")
    bulletin = services.generate_bulletin(actor=request.user)
    messages.success(request, gettext("已生成第%(number)s期通报。") % {"number": bulletin.number})
    return redirect("hazards:bulletin", pk=bulletin.pk)


@require_GET
def bulletin_detail(request, pk: int):
    _refuse_unless(request.user, "view_bulletins")
    bulletin = get_bulletin_for_user(request.user, pk)
    return render(request, "hazards/bulletin_detail.html", {"bulletin": bulletin})


@require_GET
def interviews(request):
    """The drafted 约谈 list made by escalation (county office and leaders)."""
    _refuse_unless(request.user, "view_interviews")
    today = timezone.localdate()
    rows = [(h, (today - h.deadline).days) for h in interview_draft(today)]
    return render(
        request,
        "hazards/interviews.html",
        {
            "rows": rows,
            "gaps": list(escalation_gaps()),
            "county_days": settings.HAZARD_ESCALATE_COUNTY_DAYS,
        },
    )
