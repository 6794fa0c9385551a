from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """The requested page of `queryset`; a bad or out-of-range page number gives the
    nearest valid page instead of an error (people edit URLs and follow old links)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def export_query(request) -> str:
    """The list's query string for its export link: every filter, not the page number
    (an export is the whole filtered list)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
