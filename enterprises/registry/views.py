from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from enterprises.assessment.models import SelfAssessment
from enterprises.duties.selectors import compliance_of, duty_blocks
from enterprises.panels import ENTERPRISE_FILE
from enterprises.permissions import Action, get_enterprise_for_user, may, pinned_town_id, require
from enterprises.registry import services
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.forms import EnterpriseForm
from enterprises.registry.models import Enterprise
from safetyportal.core.filters import pin_town
from safetyportal.core.pagination import export_query, paginate
from safetyportal.core.panels import panels_for


@require_GET
def enterprise_list(request):
    if request.user.enterprise_id and not may(request.user, Action.REGISTER):
        # an enterprise account sees its own file, not a registry of one row
        return redirect("enterprises:detail", pk=request.user.enterprise_id)
    base = Enterprise.objects.visible_to(request.user).with_list_relations()
    filterset = EnterpriseFilter(request.GET, queryset=base)
    pin_town(filterset, pinned_town_id(request.user))
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "can_register": may(request.user, Action.REGISTER),
        "can_see_gaps": may(request.user, Action.SUPERVISION_GAPS),
        "export_query": export_query(request),
    }
    if request.headers.get("HX-Request"):
        # the export link sits outside the table: sent again out of band with the new query
        return render(request, "enterprises/_enterprise_table.html", {**context, "oob": True})
    return render(request, "enterprises/enterprise_list.html", context)


def enterprise_file_context(user, enterprise, *, page: str = ENTERPRISE_FILE) -> dict:
    """Everything about one enterprise: registry, duty records with their checks, and
    self-assessments, and the panels apps above this one add to `page` (its hazards and
    risk points, see hazards/panels.py). Shared by the page and its PDF."""
    enterprise = Enterprise.objects.with_duty_records().get(pk=enterprise.pk)
    today = timezone.localdate()
    return {
        "enterprise": enterprise,
        "today": today,
        "compliance": compliance_of(enterprise, today=today),
        "duty_blocks": duty_blocks(enterprise),
        "assessments": SelfAssessment.objects.filter(enterprise=enterprise).select_related(
            "period"
        ),
        "can_edit": may(user, Action.EDIT, enterprise),
        "can_maintain": may(user, Action.ADD_DUTY, enterprise),
        "panels": panels_for(user, page, enterprise),
    }


@require_GET
def enterprise_detail(request, pk: int):
    enterprise = get_enterprise_for_user(request.user, pk)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        enterprise_file_context(request.user, enterprise),
    )


@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    require(request.user, Action.REGISTER)
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise = services.register_enterprise(actor=request.user, **form.registry_values())
        messages.success(request, gettext("已登记企业“%(name)s”。") % {"name": enterprise.name})
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    enterprise = get_enterprise_for_user(request.user, pk)
    require(request.user, Action.EDIT, enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_enterprise(
            actor=request.user, enterprise=enterprise, **form.registry_values()
        )
        messages.success(request, gettext("企业信息已保存。"))
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


def gap_rows(request):
    """监管空白: operating enterprises whose industry has no department in the current
    published supervision map (all of them while no map is published); the map too."""
    from enterprises.registry.models import EnterpriseStatus
    from responsibilities.models import SupervisionAssignment, SupervisionMap

    require(request.user, Action.SUPERVISION_GAPS)
    current = SupervisionMap.objects.current()
    gaps = (
        Enterprise.objects.visible_to(request.user)
        .filter(status=EnterpriseStatus.OPERATING)
        .with_list_relations()
        .order_by("industry__sort_order", "industry__code", "name", "id")
    )
    if current is not None:
        gaps = gaps.exclude(
            industry_id__in=SupervisionAssignment.objects.filter(supervision_map=current).values(
                "industry_id"
            )
        )
    return current, gaps


@require_GET
def supervision_gaps(request):
    """监管空白 (gap_rows), a page of them."""
    current, gaps = gap_rows(request)
    return render(
        request,
        "enterprises/supervision_gaps.html",
        {"current": current, "page": paginate(request, gaps)},
    )
