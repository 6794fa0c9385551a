"""The inspection pages: list, logging (phone or desk), detail with its workflow steps,
finding -> hazard, photos, and 只检查不执法. Steps are declared in workflow.py."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.inspections import forms, selectors, services
from enforcement.inspections.filters import InspectionFilter
from enforcement.inspections.models import Answer, ChecklistItem
from enforcement.inspections.workflow import INSPECTION_WORKFLOW
from enforcement.permissions import (
    filters_hidden_from,
    get_finding_for_user,
    get_finding_photo_for_user,
    inspection_refusal,
    may_inspect,
)
from enforcement.pickers import chosen_enterprise, picker_context
from enterprises.models import Enterprise
from hazards.permissions import may as may_report_hazard
from safetyportal.core.filters import hide_filters
from safetyportal.core.pagination import paginate
from safetyportal.core.uploads import THUMBNAIL_SIZES, thumbnail
from safetyportal.workflow.errors import StepNotAllowed
from safetyportal.workflow.html import add_errors, step_view

MAX_FINDINGS = 20
FINDING_KEY = re.compile(r"finding-(\d+)-description")
DRAFT_SAVED = "inspection_draft_saved"  # session: the enterprise whose draft was just saved


def _refuse_unless(user, action: str) -> None:
    reason = inspection_refusal(user, action)
    if reason:
        raise PermissionDenied(reason)


@require_GET
def inspection_list(request):
    from enforcement.inspections.models import Inspection

    base = Inspection.objects.visible_to(request.user).select_related("unit", "enterprise", "town")
    filterset = InspectionFilter(request.GET, queryset=base)
    hide_filters(filterset, filters_hidden_from(request.user))
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "can_log": may_inspect(request.user, "log")}
    if request.headers.get("HX-Request"):
        return render(request, "inspections/_inspection_table.html", context)
    return render(request, "inspections/inspection_list.html", context)


def _picker(request, *, error: str = "", status: int = 200):
    """Choose the enterprise: a search within the user's scope (htmx as one types)."""
    context = {
        **picker_context(request, Enterprise.objects.visible_to(request.user)),
        "error": error,
    }
    if request.headers.get("HX-Request"):
        return render(request, "enforcement/_enterprise_results.html", context)
    return render(request, "inspections/inspection_pick.html", context, status=status)


def _answers(post, items) -> dict[int, tuple[str, str]]:
    answers = {}
    for item in items:
        value = post.get(f"answer-{item.pk}", "")
        if value:
            answers[item.pk] = (value, post.get(f"note-{item.pk}", "").strip())
    return answers


def _findings(request, items: set[int]) -> tuple[list, list[str]]:
    """The finding cards sent (empty cards ignored), and what is wrong with them."""
    indexes = sorted(int(m.group(1)) for key in request.POST if (m := FINDING_KEY.fullmatch(key)))
    findings, errors = [], []
    for number, index in enumerate(indexes, start=1):
        description = request.POST.get(f"finding-{index}-description", "").strip()
        location = request.POST.get(f"finding-{index}-location", "").strip()[:200]
        files = request.FILES.getlist(f"finding-{index}-photos")
        if not description and not location and not files:
            continue
        if not description:
            errors.append(gettext("第 %(n)s 个问题：请填写问题描述。") % {"n": number})
            continue
        item = request.POST.get(f"finding-{index}-item", "")
        item_id = int(item) if item.isdigit() and int(item) in items else None
        try:
            photos = services.check_photos(files)
        except ValidationError as error:
            errors.extend(
                gettext("第 %(n)s 个问题：%(error)s") % {"n": number, "error": message}
                for message in error.messages
            )
            continue
        findings.append(
            services.FindingInput(
                description=description,
                location=location,
                checklist_item_id=item_id,
                photos=photos,
            )
        )
    if len(findings) > MAX_FINDINGS:  # refused, not cut: nothing found is dropped silently
        errors.append(
            gettext("一次检查最多登记 %(n)s 个问题，请将其余问题在保存后逐条添加。")
            % {"n": MAX_FINDINGS}
        )
    return findings, errors


@require_http_methods(["GET", "POST"])
def inspection_create(request):
    _refuse_unless(request.user, "log")
    raw = request.POST.get("enterprise") or request.GET.get("enterprise")
    if not raw:
        if request.method == "POST":
            return _picker(request, error=gettext("请先选择被检查单位。"), status=400)
        return _picker(request)
    enterprise = chosen_enterprise(request, Enterprise.objects.visible_to(request.user))
    if enterprise is None:
        return _picker(
            request,
            error=gettext("所选企业不在您的辖区或监管范围内，请重新选择。"),
            status=400,
        )
    checklist = services.checklist_for(enterprise)
    items = list(ChecklistItem.objects.filter(template=checklist)) if checklist else []
    form = forms.InspectionForm(request.POST or None, user=request.user, enterprise=enterprise)
    answers, findings_errors = {}, []
    if request.method == "POST":
        answers = _answers(request.POST, items)
        findings, findings_errors = _findings(request, {i.pk for i in items})
        if form.is_valid() and not findings_errors:
            data = form.cleaned_data
            target = None
            if data["plan_target"]:
                target = (
                    services.plan_services.open_targets_for(request.user, enterprise.pk)
                    .filter(pk=data["plan_target"])
                    .first()
                )
            try:
                inspection = services.log_inspection(
                    actor=request.user,
                    enterprise=data["enterprise"],
                    inspected_on=data["inspected_on"],
                    officers=data["officers"],
                    joint_units=data["joint_units"],
                    plan_target=target,
                    summary=data["summary"],
                    acknowledged_by=data["acknowledged_by"].strip(),
                    refused_to_sign=data["refused_to_sign"],
                    answers=answers,
                    findings=findings,
                )
            except StepNotAllowed as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, gettext("检查记录已保存（草稿），核对后请提交。"))
                # the page reached by saving clears the on-device draft (only that page)
                request.session[DRAFT_SAVED] = enterprise.pk
                return redirect(reverse("enforcement:inspection_detail", args=[inspection.pk]))
    context = {
        "form": form,
        "enterprise": enterprise,
        "checklist": checklist,
        "rows": [(item, request.POST.get(f"answer-{item.pk}", "")) for item in items],
        "answer_choices": Answer.choices,
        "findings_errors": findings_errors,
        # nothing was saved: a file input cannot be refilled, so say so plainly
        "photos_lost": request.method == "POST" and bool(request.FILES),
        "draft_key": f"inspection-draft:{request.user.pk}:{enterprise.pk}",
    }
    status = 400 if (form.errors or findings_errors) else 200
    return render(request, "inspections/inspection_form.html", context, status=status)


def _case_url(inspection) -> str:
    """The cases area's 立案 page, prefilled from this inspection."""
    return f"{reverse('enforcement:case_create')}?inspection={inspection.pk}"


def _step_url(inspection, step) -> str:
    return reverse("enforcement:inspection_step", args=[inspection.pk, step.name])


def _detail(request, pk, *, bound=None, status: int = 200, hazard_form=None):
    inspection = selectors.inspection_for_detail(request.user, pk)
    steps = INSPECTION_WORKFLOW.panel(request.user, inspection, url_for=_step_url, bound=bound)
    can_to_hazard = not inspection.is_draft and may_inspect(request.user, "to_hazard", inspection)
    findings = list(inspection.findings.all())
    hazard_forms = {}
    # the ledger's own rule too: a joint unit may not enter another territory's hazards
    if can_to_hazard and may_report_hazard(request.user, "report", inspection.enterprise):
        for finding in findings:
            if finding.hazard_id is None:
                hazard_forms[finding.pk] = (
                    hazard_form
                    if hazard_form is not None and hazard_form.prefix == f"f{finding.pk}"
                    else forms.FindingHazardForm(prefix=f"f{finding.pk}")
                )
    context = {
        "inspection": inspection,
        "rows": selectors.checklist_rows(inspection),
        "findings": [(f, hazard_forms.get(f.pk)) for f in findings],
        "steps": steps,
        "forms": {panel.name: panel.form for panel in steps if panel.enabled},
        "case_url": _case_url(inspection) if can_to_hazard else "",
        "clear_draft": request.session.pop(DRAFT_SAVED, None) == inspection.enterprise_id,
    }
    return render(request, "inspections/inspection_detail.html", context, status=status)


@require_GET
def inspection_detail(request, pk: int):
    return _detail(request, pk)


@require_POST
def inspection_step(request, pk: int, step: str):
    return step_view(
        request,
        INSPECTION_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda inspection: reverse(
            "enforcement:inspection_detail", args=[inspection.pk]
        ),
    )


@require_POST
def finding_hazard(request, pk: int):
    """A finding becomes a hazard in the ledger in one step."""
    finding = get_finding_for_user(request.user, pk)
    inspection = finding.inspection
    reason = inspection_refusal(request.user, "to_hazard", inspection)
    if reason:
        raise PermissionDenied(reason)
    form = forms.FindingHazardForm(request.POST, prefix=f"f{finding.pk}")
    if form.is_valid():
        try:
            hazard = services.finding_to_hazard(
                actor=request.user, finding_id=finding.pk, **form.cleaned_data
            )
        except StepNotAllowed as error:
            messages.error(request, str(error))
            return _detail(request, inspection.pk, status=error.status_code)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("已转为隐患 %(code)s，已列入隐患台账。") % {"code": hazard.code}
            )
            return redirect(reverse("enforcement:inspection_detail", args=[inspection.pk]))
    messages.error(request, gettext("提交的信息有误，请按提示修改后重新提交。"))
    return _detail(request, inspection.pk, status=400, hazard_form=form)


@require_GET
def finding_photo(request, pk: int):
    """A finding's photo, only through this access check; `?size=thumb` a small JPEG."""
    photo = get_finding_photo_for_user(request.user, pk)
    size = request.GET.get("size")
    if size is not None:
        if size not in THUMBNAIL_SIZES:
            raise Http404("no such thumbnail")
        small = thumbnail(photo.file, key=f"inspections-{photo.pk}", size=size)
        if small is None:
            raise Http404("no thumbnail")
        response = HttpResponse(small, content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=86400"
    else:
        response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def unfollowed(request):
    """只检查不执法: per unit, inspections with findings that led to nothing."""
    _refuse_unless(request.user, "view_unfollowed")
    form = forms.UnfollowedYearForm(request.GET)
    year = form.chosen_year()
    context = {
        "form": form,
        "year": year,
        "units": selectors.unfollowed_by_unit(request.user, year),
        "page": paginate(request, selectors.unfollowed(request.user, year)),
    }
    # a year not offered: this year's figures, the reason above them, and a 400
    status = 400 if form.errors else 200
    return render(request, "inspections/unfollowed.html", context, status=status)
