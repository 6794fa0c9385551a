from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.models import Enterprise
from enterprises.permissions import get_enterprise_for_user
from hazards import forms, services
from hazards.escalation import interview_draft
from hazards.export import write_ledger_xlsx
from hazards.filters import HazardFilter
from hazards.models import (
    TRANSITIONS,
    Bulletin,
    ExtensionStatus,
    Hazard,
    HazardAttachment,
    HazardStatus,
    RiskBand,
    RiskPoint,
    StepNotAllowed,
    band_for,
)
from hazards.permissions import (
    can_edit_risk_points,
    can_generate_bulletin,
    can_report,
    can_view_bulletins,
    get_hazard_for_user,
    get_risk_point_for_user,
    refusal,
)
from hazards.selectors import risk_summary
from safetyportal.accounts.models import Role
from safetyportal.core.pagination import paginate

# url step -> (form, service called as service(actor=..., hazard_id=..., **cleaned_data),
# message on success)
STEPS = {
    "start": (forms.EmptyForm, services.start_rectification, _("已开始整改。")),
    "determine": (
        forms.DetermineForm,
        services.determine_major_hazard,
        _("已认定为重大事故隐患并列入清单。"),
    ),
    "assign": (forms.AssignForm, services.assign_major_hazard, _("交办单已下达。")),
    "progress": (forms.ProgressForm, services.record_progress, _("整改进展已登记。")),
    "submit": (forms.NoteForm, services.submit_rectification, _("整改情况已提交，等待核查。")),
    "verify": (forms.VerifyForm, services.verify_rectification, _("核查结果已登记。")),
    "request-extension": (
        forms.ExtensionRequestForm,
        services.request_extension,
        _("延期申请已提交。"),
    ),
    "decide-extension": (
        forms.ExtensionDecisionForm,
        services.decide_extension,
        _("延期审批已登记。"),
    ),
    "void": (forms.VoidForm, services.void_hazard, _("隐患已作废（记录保留）。")),
    "accountability": (
        forms.AccountabilityForm,
        services.record_accountability,
        _("问责记录已登记。"),
    ),
}
# url step -> the TRANSITIONS / permission step names it stands for
STEP_CHECKS = {
    "start": ("start",),
    "determine": ("determine",),
    "assign": ("assign",),
    "progress": ("progress",),
    "submit": ("submit",),
    "verify": ("verify_pass",),
    "request-extension": ("request_extension",),
    "decide-extension": ("decide_extension",),
    "void": ("void",),
    "accountability": ("accountability",),
}


def available_steps(user, hazard: Hazard, pending_extension: bool) -> set[str]:
    steps = set()
    for url_step, checks in STEP_CHECKS.items():
        check = checks[0]
        if check in TRANSITIONS and not hazard.can(check):
            continue
        if check == "accountability" and not hazard.accepts_accountability:
            continue
        if check == "request_extension" and (pending_extension or hazard.is_overdue()):
            continue
        if check == "decide_extension" and not pending_extension:
            continue
        if check == "submit" and hazard.is_major and not hasattr(hazard, "slip"):
            continue
        if refusal(user, hazard, check) is None:
            steps.add(url_step)
    return steps


def _ledger(request):
    base = Hazard.objects.visible_to(request.user).with_list_relations()
    return HazardFilter(request.GET, queryset=base)


@require_GET
def hazard_list(request):
    filterset = _ledger(request)
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "today": timezone.localdate(),
        "can_report": can_report(request.user),
        "export_query": request.GET.urlencode(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "hazards/_hazard_table.html", context)
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
    if not can_report(request.user) or request.user.is_read_only:
        raise PermissionDenied(gettext("您没有登记隐患的权限。"))
    form = forms.HazardReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            hazard = services.report_hazard(actor=request.user, **data)
        except StepNotAllowed as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("已登记隐患 %(code)s。") % {"code": hazard.code})
            return redirect("hazards:detail", pk=hazard.pk)
    status = 400 if form.errors else 200
    return render(request, "hazards/hazard_form.html", {"form": form}, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _detail(request, hazard: Hazard, *, bound: dict | None = None, status: int = 200):
    extensions = list(hazard.extensions.select_related("requested_by", "decided_by"))
    pending = any(e.status == ExtensionStatus.PENDING for e in extensions)
    steps = available_steps(request.user, hazard, pending)
    step_forms = {
        step: (bound or {}).get(step) or STEPS[step][0](prefix=step.replace("-", "_"))
        for step in steps
    }
    if "verify" in step_forms and bound is None:
        step_forms["verify"].initial = {"passed": "1"}
    context = {
        "hazard": hazard,
        "listing": getattr(hazard, "listing", None),
        "slip": getattr(hazard, "slip", None),
        "progress": list(hazard.progress_entries.select_related("recorded_by")),
        "attachments": list(hazard.attachments.all()),
        "verifications": list(hazard.verifications.select_related("verified_by")),
        "extensions": extensions,
        "accountability": list(hazard.accountability.select_related("recorded_by")),
        # a hazard raised from a failed self-assessment item links back to it
        "assessment_answers": list(
            hazard.assessment_answers.select_related("assessment__enterprise", "assessment__period")
        ),
        "forms": step_forms,
        # an official who may not verify this one (e.g. they recorded its progress) is told
        # why, instead of finding no form
        "verify_refusal": (
            refusal(request.user, hazard, "verify_pass")
            if hazard.status == HazardStatus.SUBMITTED
            and "verify" not in steps
            and request.user.role in (Role.COUNTY_OFFICE, Role.TOWN, Role.DEPARTMENT)
            else None
        ),
        "today": timezone.localdate(),
    }
    return render(request, "hazards/hazard_detail.html", context, status=status)


def _fresh(request, pk):
    return Hazard.objects.filter(pk=get_hazard_for_user(request.user, pk).pk).select_related(
        "enterprise", "town", "industry", "listing", "slip", "slip__supervising_unit"
    )[0]


@require_GET
def hazard_detail(request, pk: int):
    get_hazard_for_user(request.user, pk)
    return _detail(request, _fresh(request, pk))


@require_POST
def hazard_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404("unknown step")
    hazard = get_hazard_for_user(request.user, pk)
    form_class, service, success = STEPS[step]
    form = form_class(request.POST, request.FILES, prefix=step.replace("-", "_"))
    if not form.is_valid():
        messages.error(request, gettext("提交的信息有误，请按提示修改后重新提交。"))
        return _detail(request, _fresh(request, pk), bound={step: form}, status=400)
    try:
        service(actor=request.user, hazard_id=hazard.pk, **form.cleaned_data)
    except StepNotAllowed as error:
        messages.error(request, str(error))
        return _detail(request, _fresh(request, pk), status=error.status_code)
    except ValidationError as error:
        _add_errors(form, error)
        messages.error(request, pgettext("list separator", "；").join(error.messages))
        return _detail(request, _fresh(request, pk), bound={step: form}, status=400)
    messages.success(request, success)
    return redirect("hazards:detail", pk=hazard.pk)


@require_GET
def slip_pdf(request, pk: int):
    """The printable 交办单 (small: rendered in the request)."""
    from weasyprint import HTML

    hazard = _fresh(request, pk)
    slip = getattr(hazard, "slip", None)
    if slip is None:
        raise Http404("no slip")
    html = render_to_string(
        "hazards/slip_pdf.html",
        {"hazard": hazard, "slip": slip, "listing": getattr(hazard, "listing", None)},
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{slip.pk}.pdf"'
    return response


@require_GET
def attachment(request, pk: int):
    """Photos and documents, only through this access check (never MEDIA_URL)."""
    visible = Hazard.objects.visible_to(request.user).values("pk")
    try:
        item = HazardAttachment.objects.get(pk=pk, hazard__in=visible)
    except (HazardAttachment.DoesNotExist, ValueError):
        raise Http404("attachment not found") from None
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 通报 and 约谈 ------------------------------------------------------------------------


@require_GET
def bulletin_list(request):
    if not can_view_bulletins(request.user):
        raise PermissionDenied(gettext("您没有查看通报的权限。"))
    return render(
        request,
        "hazards/bulletin_list.html",
        {
            "bulletins": Bulletin.objects.all()[:50],
            "can_generate": can_generate_bulletin(request.user),
        },
    )


@require_POST
def bulletin_create(request):
    if not can_generate_bulletin(request.user):
        raise PermissionDenied(gettext("只有县安委办可以生成通报。"))
    bulletin = services.generate_bulletin(actor=request.user)
    messages.success(request, gettext("已生成第%(number)s期通报。") % {"number": bulletin.number})
    return redirect("hazards:bulletin", pk=bulletin.pk)


@require_GET
def bulletin_detail(request, pk: int):
    if not can_view_bulletins(request.user):
        raise PermissionDenied(gettext("您没有查看通报的权限。"))
    try:
        bulletin = Bulletin.objects.get(pk=pk)
    except Bulletin.DoesNotExist:
        raise Http404("bulletin not found") from None
    return render(request, "hazards/bulletin_detail.html", {"bulletin": bulletin})


@require_GET
def interviews(request):
    """The drafted 约谈 list made by escalation (county office and leaders)."""
    if not request.user.sees_whole_county:
        raise PermissionDenied(gettext("只有县安委办和县领导可以查看拟约谈名单。"))
    today = timezone.localdate()
    rows = [(h, (today - h.deadline).days) for h in interview_draft(today)]
    return render(request, "hazards/interviews.html", {"rows": rows})


# --- risk register -----------------------------------------------------------------------


@require_GET
def risk_list(request):
    points = RiskPoint.objects.visible_to(request.user).select_related(
        "enterprise", "enterprise__town"
    )
    enterprise_id = request.GET.get("enterprise")
    if enterprise_id and enterprise_id.isdigit():
        points = points.filter(enterprise_id=enterprise_id)
    bands = list(RiskBand.objects.order_by("-min_score"))
    page = paginate(request, points)
    for point in page:
        point.band = band_for(point.score, bands)
    own = request.user.enterprise if request.user.role == Role.ENTERPRISE else None
    _, by_enterprise = risk_summary(RiskPoint.objects.visible_to(request.user), "enterprise__name")
    _, by_town = risk_summary(RiskPoint.objects.visible_to(request.user), "enterprise__town__name")
    return render(
        request,
        "hazards/risk_list.html",
        {
            "page": page,
            "bands": bands,
            "by_enterprise": by_enterprise[:50],
            "by_town": by_town,
            # the county office adds points from an enterprise's register (?enterprise=<id>)
            "can_add": own is not None
            or (request.user.role == Role.COUNTY_OFFICE and bool(enterprise_id)),
        },
    )


@require_http_methods(["GET", "POST"])
def risk_edit(request, pk: int | None = None):
    point = get_risk_point_for_user(request.user, pk) if pk else None
    if point is not None:
        enterprise = point.enterprise
    elif request.user.role == Role.ENTERPRISE:
        enterprise = request.user.enterprise
    else:
        enterprise_id = request.GET.get("enterprise") or request.POST.get("enterprise")
        if not enterprise_id:
            raise PermissionDenied(gettext("请从企业的风险点清单进入，指定企业后再登记风险点。"))
        enterprise = get_enterprise_for_user(request.user, enterprise_id)
    if not isinstance(enterprise, Enterprise) or not can_edit_risk_points(request.user, enterprise):
        raise PermissionDenied(gettext("只有企业本身或县安委办可以维护该企业的风险点。"))
    form = forms.RiskPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in forms.RiskPointForm.Meta.fields}
        services.save_risk_point(actor=request.user, enterprise=enterprise, point=point, **fields)
        messages.success(request, gettext("风险点已保存。"))
        return redirect("hazards:risks")
    return render(
        request,
        "hazards/risk_form.html",
        {"form": form, "point": point, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )
