"""The risk register's pages (双重预防): the list with its colour summary, and the form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from enterprises.models import Enterprise
from enterprises.permissions import get_enterprise_for_user
from hazards.list_exports import risk_point_rows
from hazards.permissions import (
    get_risk_point_for_user,
    may,
    may_add_risk_points_from_list,
    own_enterprise_id,
    refusal,
)
from hazards.risk_forms import RiskPointForm
from hazards.risk_models import RiskBand, RiskPoint, band_for
from hazards.risk_selectors import kept_risk_summary
from hazards.risk_services import save_risk_point
from safetyportal.core.figures import reading
from safetyportal.core.pagination import paginate


@require_GET
def risk_list(request):
    enterprise_id = request.GET.get("enterprise")
    bands = list(RiskBand.objects.order_by("-min_score"))
    points, band = risk_point_rows(request.user, request.GET, bands)
    points = points.select_related("enterprise", "enterprise__town")
    page = paginate(request, points)
    for point in page:
        point.band = band_for(point.score, bands)
        # "修改" only where the rules allow it (the leader and officials read only)
        point.can_edit = may(request.user, "edit_risk_points", point.enterprise)
    # kept per scope (ADR 0017): a write to a risk point or the registry recomputes them
    visible = RiskPoint.objects.visible_to(request.user)
    with reading():  # the topics' tokens: read once for both
        by_enterprise = kept_risk_summary(visible, "enterprise__name", limit=50, bands=bands)
        by_town = kept_risk_summary(visible, "enterprise__town__name", bands=bands)
    return render(
        request,
        "hazards/risk_list.html",
        {
            "page": page,
            "bands": bands,
            "band": band,
            "by_enterprise": by_enterprise,
            "by_town": by_town,
            "can_add": may_add_risk_points_from_list(request.user, enterprise_id),
        },
    )


@require_http_methods(["GET", "POST"])
def risk_edit(request, pk: int | None = None):
    point = get_risk_point_for_user(request.user, pk) if pk else None
    own = own_enterprise_id(request.user)
    if point is not None:
        enterprise = point.enterprise
    elif own is not None:
        enterprise = request.user.enterprise
    else:
        enterprise_id = request.GET.get("enterprise") or request.POST.get("enterprise")
        if not enterprise_id:
            raise PermissionDenied(gettext("请从企业的风险点清单进入，指定企业后再登记风险点。"))
        enterprise = get_enterprise_for_user(request.user, enterprise_id)
    if not isinstance(enterprise, Enterprise):
        raise PermissionDenied(gettext("只有企业本身或县安委办可以维护该企业的风险点。"))
    reason = refusal(request.user, enterprise, "edit_risk_points")
    if reason:
        raise PermissionDenied(reason)
    form = RiskPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RiskPointForm.Meta.fields}
        save_risk_point(actor=request.user, enterprise=enterprise, point=point, **fields)
        messages.success(request, gettext("风险点已保存。"))
        return redirect("hazards:risks")
    return render(
        request,
        "hazards/risk_form.html",
        {"form": form, "point": point, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )
