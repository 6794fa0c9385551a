"""Duty list pages: the completion overview per unit for a year, a unit's list with a
mark-done form per item, and the mark-done POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyItemStatus
from responsibilities.permissions import (
    duty_lists_visible_to,
    duty_refusal,
    get_duty_list_for_user,
)
from safetyportal.core.pagination import paginate


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_GET
def duty_overview(request):
    """Completion per unit for a year, in one aggregate query per page."""
    reason = duty_refusal(request.user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    year = _year(request)
    rows = (
        duty_lists_visible_to(request.user)
        .filter(year=year)
        .select_related("owner")
        .annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__status=DutyItemStatus.DONE)),
        )
        .order_by("owner__sort_order", "owner__code", "owner_person", "id")
    )
    page = paginate(request, rows)
    for row in page:
        row.rate = round(100 * row.done_count / row.item_count) if row.item_count else 0
    return render(request, "responsibilities/duty_overview.html", {"page": page, "year": year})


@require_GET
def duty_list_detail(request, pk: int):
    duty_list = get_duty_list_for_user(request.user, pk)
    items = DutyItem.objects.filter(duty_list=duty_list).order_by("order", "id")
    return render(
        request,
        "responsibilities/duty_list_detail.html",
        {
            "duty_list": duty_list,
            "items": items,
            "can_mark": duty_refusal(request.user, duty_list, "mark_done") is None,
        },
    )


@require_POST
def duty_item_done(request, pk: int):
    item = get_object_or_404(
        DutyItem.objects.filter(duty_list__in=duty_lists_visible_to(request.user)), pk=pk
    )
    try:
        duty_services.mark_duty_item_done(
            actor=request.user,
            item_id=item.pk,
            evidence_note=request.POST.get("evidence_note", ""),
            evidence_file=request.FILES.get("evidence_file"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已标记完成。"))
    return redirect("responsibilities:duty_list", pk=item.duty_list_id)
