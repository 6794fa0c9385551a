"""The searchable enterprise picker shared by the forms that name an enterprise (inspection,
case, accident): at city scale a select of every enterprise is tens of thousands of options,
so the page searches within the caller's queryset (htmx as one types) and a result links
back to the same page with `?enterprise=<id>`; the form then carries the id in a hidden
field whose queryset is the same scope (the API accepts the id within that scope too)."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from enterprises.models import Enterprise

PARAM = "enterprise"
RESULTS_SHOWN = 20


def search_enterprises(queryset: QuerySet[Enterprise], query: str) -> list[Enterprise]:
    """At most RESULTS_SHOWN enterprises of `queryset` whose name contains `query` or whose
    credit code is `query` (one query)."""
    query = query.strip()
    if not query:
        return []
    return list(
        queryset.filter(Q(name__icontains=query) | Q(uscc__iexact=query))
        .select_related("town")
        .order_by("name", "pk")[:RESULTS_SHOWN]
    )


def picker_context(request: HttpRequest, queryset: QuerySet[Enterprise]) -> dict:
    """`query` and `results` for the picker partials; each result carries `pick_url`, this
    page with `?enterprise=<id>` (the page's other parameters kept, the search dropped)."""
    query = request.GET.get("q", "").strip()
    results = search_enterprises(queryset, query)
    keep = request.GET.copy()
    keep.pop("q", None)
    for enterprise in results:
        keep[PARAM] = str(enterprise.pk)
        enterprise.pick_url = f"{request.path}?{keep.urlencode()}"  # type: ignore[attr-defined]
    keep.pop(PARAM, None)
    kept = [(key, value) for key, values in keep.lists() for value in values]
    keep[PARAM] = ""  # an explicit "none": the page offers no default enterprise then
    return {
        "query": query,
        "results": results,
        "unpick_url": f"{request.path}?{keep.urlencode()}",
        # the page's other parameters, kept by the search form without JavaScript
        "kept": kept,
    }


def chosen_enterprise(request: HttpRequest, queryset: QuerySet[Enterprise]) -> Enterprise | None:
    """The enterprise named by the POSTed field or `?enterprise=`, within `queryset` (None when
    none is named or it is outside)."""
    raw = request.POST.get(PARAM) or request.GET.get(PARAM) or ""
    if not str(raw).isdigit():
        return None
    return queryset.filter(pk=raw).select_related("town").first()


def picked_enterprise_field(*, label, invalid) -> forms.ModelChoiceField:
    """The form field carrying the picked id (hidden; optional: the party may be
    unregistered). The form sets its queryset to the caller's scope in __init__, so the
    page and the API (workflow.serializers.serializer_for) accept only an id within it;
    `invalid` says what to do otherwise."""
    return forms.ModelChoiceField(
        label=label,
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": invalid},
    )
