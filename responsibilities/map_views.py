"""The supervision map page: a year's map per industry with that year's duty items for
it (collapsed under each industry), and what changed from the year before."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from responsibilities.map_services import (
    attach_duty_items,
    map_changes,
    map_with_previous,
    map_years,
)
from responsibilities.permissions import supervision_map_refusal


@require_GET
def supervision_map(request):
    reason = supervision_map_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    maps = map_years()
    selected, previous, rows, previous_rows = map_with_previous(maps, year)
    if selected is not None:
        attach_duty_items(rows, selected.year)
    return render(
        request,
        "responsibilities/supervision_map.html",
        {
            "maps": maps,
            "selected": selected,
            "previous": previous,
            "rows": rows,
            "changes": map_changes(previous_rows, rows) if previous else None,
        },
    )
