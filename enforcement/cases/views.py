"""Pages of penalty cases: the list, the detail with its step panel and documents, the two
create forms, and the case-file PDF (requested, polled, served through the case's door)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement import rules
from enforcement.authority.models import Procedure
from enforcement.cases import forms, services
from enforcement.cases.filters import CaseFilter
from enforcement.cases.models import Case, FileStatus
from enforcement.cases.workflow import CASE_WORKFLOW
from enforcement.permissions import (
    acting_unit_id,
    case_create_refusal,
    filters_hidden_from,
    get_case_for_user,
    get_inspection_for_user,
)
from enforcement.pickers import chosen_enterprise, picker_context
from enforcement.repeat_offenders import offender_flag
from enterprises.models import Enterprise
from safetyportal.core.filters import hide_filters
from safetyportal.core.pagination import paginate
from safetyportal.workflow import StepNotAllowed
from safetyportal.workflow.html import add_errors, step_view


@require_GET
def case_list(request):
    base = Case.objects.visible_to(request.user).select_related("unit", "town", "item")
    filterset = CaseFilter(request.GET, queryset=base)
    hide_filters(filterset, filters_hidden_from(request.user))
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "today": timezone.localdate(),
        "can_create": case_create_refusal(request.user) is None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "enforcement/cases/_case_table.html", context)
    # a simple-only town is not offered the general procedure it may not use
    context["can_open_general"] = context["can_create"] and _general_refusal(request.user) is None
    return render(request, "enforcement/cases/case_list.html", context)


def _step_url(case: Case, step) -> str:
    return reverse("enforcement:case_step", args=[case.pk, step.name])


def _detail(request, pk, *, bound: dict | None = None, status: int = 200):
    case = get_case_for_user(request.user, pk)
    case = (
        Case.objects.filter(pk=case.pk)
        .select_related("unit", "town", "item", "item__delegating_department", "enterprise")
        .annotate(_evidence_count=Count("evidence"))
        .get()
    )
    today = timezone.localdate()
    context = {
        "case": case,
        "officers": case.officers.all(),
        "documents": case.documents.all(),
        "evidence": case.evidence.all(),
        "deadlines": case.deadlines(today),
        "authority": rules.issuing_authority(unit=case.unit, item=case.item),
        "steps": CASE_WORKFLOW.panel(request.user, case, url_for=_step_url, bound=bound),
        "today": today,
    }
    return render(request, "enforcement/cases/case_detail.html", context, status=status)


@require_GET
def case_detail(request, pk: int):
    return _detail(request, pk)


@require_POST
def case_step(request, pk: int, step: str):
    return step_view(
        request,
        CASE_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda case: reverse("enforcement:case_detail", args=[case.pk]),
    )


def _general_refusal(user) -> str | None:
    """Why the user's unit may not open a general case at all (a simple-only town), shown
    on the create page with the general option disabled."""
    unit = getattr(user, "organisation", None)
    if unit is None or not unit.is_town_level:
        return None
    authorisation = rules.authorisation_in_force(unit.pk, timezone.localdate())
    if authorisation is None:
        return gettext("本镇街没有有效的委托执法书，不能实施行政处罚。")
    if not authorisation.allows_general:
        return gettext("%(town)s仅受委托适用简易程序，不能以一般程序立案；请移交委托机关办理。") % {
            "town": unit.name
        }
    return None


@require_http_methods(["GET", "POST"])
def case_create(request):
    reason = case_create_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    procedure = request.GET.get("procedure", Procedure.SIMPLE)
    if procedure not in Procedure.values:
        raise Http404
    general_refusal = _general_refusal(request.user)
    inspection = None
    if request.GET.get("inspection"):
        inspection = get_inspection_for_user(request.user, request.GET["inspection"])
    scope = Enterprise.objects.visible_to(request.user)
    picker = picker_context(request, scope)
    if request.headers.get("HX-Request") and "q" in request.GET:
        return render(request, "enforcement/_enterprise_results.html", picker)
    chosen = chosen_enterprise(request, scope)
    if chosen is None and "enterprise" not in request.GET and inspection is not None:
        chosen = inspection.enterprise
    form_class = forms.SimpleCaseForm if procedure == Procedure.SIMPLE else forms.GeneralCaseForm
    initial = {}
    if chosen is not None:
        initial = {"enterprise": chosen.pk, "party_name": chosen.name}
    form = form_class(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if procedure == Procedure.SIMPLE:
                case = services.create_simple_case(
                    actor=request.user, inspection=inspection, **data
                )
            else:
                case = services.open_general_case(actor=request.user, inspection=inspection, **data)
        except StepNotAllowed as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("已登记案件 %(case)s。") % {"case": case.decision_number or case}
            )
            return redirect("enforcement:case_detail", pk=case.pk)
    context = {
        **picker,
        "chosen": chosen,
        "flag": offender_flag(request.user, chosen.pk if chosen else None),
        "form": form,
        "procedure": procedure,
        "general_refusal": general_refusal,
        "inspection": inspection,
        "unit": request.user.organisation,
        "acting_unit_id": acting_unit_id(request.user),
    }
    return render(
        request, "enforcement/cases/case_form.html", context, status=400 if form.errors else 200
    )


def _file_status(request, case):
    return render(request, "enforcement/cases/_case_file.html", {"case": case})


@require_POST
def case_file_request(request, pk: int):
    case = services.request_case_file(actor=request.user, case_id=pk)
    if request.headers.get("HX-Request"):
        return _file_status(request, case)
    messages.success(request, gettext("案卷 PDF 正在生成，请稍候刷新页面。"))
    return redirect("enforcement:case_detail", pk=case.pk)


@require_GET
def case_file_status(request, pk: int):
    return _file_status(request, get_case_for_user(request.user, pk))


@require_GET
def case_file_download(request, pk: int):
    case = get_case_for_user(request.user, pk)
    if case.file_status != FileStatus.READY or not case.file_pdf:
        raise Http404
    return FileResponse(
        case.file_pdf.open("rb"),
        as_attachment=False,
        filename=f"案卷-{case.pk}.pdf",
        content_type="application/pdf",
    )
