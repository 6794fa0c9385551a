"""Paging for lists that grow to a city's size (600,000 hazards): one helper every ledger
uses, the pages through `paginate()`, the API through StrictPageNumberPagination.

How `LedgerPaginator` keeps page 1 and page 200 as cheap as each other (ADR 0014):

- **A total order.** The list's ordering gets the primary key as its last key (in the
  direction of the key before it), so rows with equal sort keys never move between pages:
  no duplicates or misses across a page boundary. Give each list an index on its ordering
  (with the id) and on its scope's column in front of it (`town, -found_on, -id`): the
  database then walks the index and stops after the page.
- **A deferred join.** A page is two narrow queries: the page's ids (ORDER BY .. LIMIT n+1
  OFFSET k, one row more to know whether a next page exists), walked over the ordering's
  index without reading the joined tables or the wide columns of the skipped rows; then the
  rows with those ids, with their relations (`select_related`), in the list's order.
- **Counts that do not scan the world.** `count` is exact up to `EXACT_COUNT_LIMIT` rows (a
  COUNT over at most that many + 1 rows); above it, PostgreSQL's planner estimate for the
  list's query (EXPLAIN), never below the limit. `count_is_exact` says which; pages say "约
  61 万条" or "超过 10,000 条" and drop the last-page link, the API answers its estimate in
  `count` and `X-Total-Count-Exact: false`. On other databases (the SQLite demo) counts are
  exact.
- **Past the end.** With an exact count, as Django's Paginator. With an estimate, page n is
  whatever the walk finds: an empty page past the real end raises EmptyPage (the API's 404);
  `get_page()` (the pages) then counts exactly once and answers the last page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property
from typing import Any, cast

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, OrderBy, QuerySet
from django.utils.translation import gettext

# counted exactly up to this many rows; above, the planner's estimate
EXACT_COUNT_LIMIT = 10_000
# no list is longer: a page number beyond it is past the end (and OFFSET stays a bigint)
MAX_OFFSET = 2**53


def _with_total_order(queryset: QuerySet) -> QuerySet:
    """`queryset` ordered as before with the primary key as the last key (the direction of
    the key before it), unless the pk is already one of its keys."""
    query = queryset.query
    if query.order_by:
        ordering: Sequence[Any] = query.order_by
    elif query.default_ordering and queryset.model._meta.ordering:
        ordering = queryset.model._meta.ordering
    else:
        ordering = []
    pk_names = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    descending = False
    for key in ordering:
        if isinstance(key, str):
            name, descending = key.lstrip("-"), key.startswith("-")
        elif isinstance(key, OrderBy) and isinstance(key.expression, F):
            name, descending = str(getattr(key.expression, "name", "")), key.descending
        else:
            name, descending = "", False
        if name in pk_names:
            return queryset
    if not ordering:
        return queryset.order_by("pk")
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


class LedgerPage(Page):
    """A page that knows whether a next page exists without the total (one row looked
    ahead), so "下一页" is right even when the count is an estimate."""

    def __init__(self, object_list, number, paginator, *, has_more: bool | None = None):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        if self._has_more is not None:
            return self._has_more
        return super().has_next()


class LedgerPaginator(Paginator):
    """Django's Paginator with a deferred join, a total order and bounded counts (see the
    module's docstring). Lists that are not querysets page as with Django's."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        if isinstance(object_list, QuerySet):
            object_list = _with_total_order(object_list)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)

    @property
    def _qs(self) -> QuerySet:
        return cast(QuerySet, self.object_list)

    @property
    def _deferred(self) -> bool:
        return isinstance(self.object_list, QuerySet) and not self.orphans

    # --- the count ------------------------------------------------------------------

    @cached_property
    def _bounded_count(self) -> int:
        """The exact count, or EXACT_COUNT_LIMIT + 1 when there are more rows."""
        if not isinstance(self.object_list, QuerySet):
            return super().count
        narrow = self._qs.order_by().values("pk")
        return narrow[: EXACT_COUNT_LIMIT + 1].count()

    @property
    def count_is_exact(self) -> bool:
        return self._exact_count is not None or self._bounded_count <= EXACT_COUNT_LIMIT

    _exact_count: int | None = None

    @cached_property
    def count(self) -> int:
        if self._exact_count is not None:
            return self._exact_count
        bounded = self._bounded_count
        if bounded <= EXACT_COUNT_LIMIT:
            return bounded
        return max(bounded, self._estimate())

    def _estimate(self) -> int:
        """The planner's row estimate for the list's query (0 if none can be had)."""
        queryset = self._qs.order_by().values("pk")
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return self._count_exactly()
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):  # psycopg without the json adapter
            import json

            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def _count_exactly(self) -> int:
        self._exact_count = self._qs.order_by().count()
        self.__dict__.pop("count", None)
        self.__dict__.pop("num_pages", None)
        return self._exact_count

    @property
    def count_approximate(self) -> int:
        """The estimate rounded to two significant figures (what a page shows)."""
        count = self.count
        if count < 100:
            return count
        step = 10 ** (int(math.log10(count)) - 1)
        return int(round(count / step) * step)

    @property
    def count_label(self) -> str:
        """The count as a page shows it: "共 123 条", "约 610,000 条" (an estimate) or
        "超过 10,000 条" (when the estimate is no better than the limit)."""
        if self.count_is_exact:
            return gettext("共 %(n)s 条") % {"n": self.count}
        if self.count <= EXACT_COUNT_LIMIT + 1:
            return gettext("超过 %(n)s 条") % {"n": f"{EXACT_COUNT_LIMIT:,}"}
        return gettext("约 %(n)s 条") % {"n": f"{self.count_approximate:,}"}

    # --- pages --------------------------------------------------------------------------

    def validate_number(self, number):
        if self.count_is_exact:
            return super().validate_number(number)
        # with an estimate any page may exist: page() finds out
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(gettext("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(gettext("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self._deferred:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        if bottom > MAX_OFFSET:
            raise EmptyPage(gettext("That page contains no results"))
        ids = list(self._qs.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1])
        has_more = len(ids) > self.per_page
        ids = ids[: self.per_page]
        if not ids and number > 1:
            raise EmptyPage(gettext("That page contains no results"))
        return LedgerPage(self._rows(ids), number, self, has_more=has_more)

    def _rows(self, ids: list) -> list:
        """The rows with `ids`, in that order. The ids passed the list's filters already,
        so the rows are fetched by primary key alone (a scope's subqueries are not run a
        second time), with the list's select_related, prefetches and deferred fields;
        a list with annotations keeps its whole query."""
        if not ids:
            return []
        source = self._qs
        if source.query.annotations or source.query.extra:
            rows = source.filter(pk__in=ids).order_by()
        else:
            rows = source.model._base_manager.using(source.db).filter(pk__in=ids)
            rows.query.select_related = source.query.select_related
            rows.query.deferred_loading = source.query.deferred_loading
            rows = rows.prefetch_related(*getattr(source, "_prefetch_related_lookups", ()))
        position = {pk: index for index, pk in enumerate(ids)}
        return sorted(rows, key=lambda row: position[row.pk])

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:
            # past the real end of an estimated list: count once, answer the last page
            self._count_exactly()
            return self.page(self.num_pages)


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """The requested page of `queryset` (a LedgerPaginator's: fast at any depth, counts
    bounded); a bad or out-of-range page number gives the nearest valid page instead of an
    error (people edit URLs and follow old links)."""
    paginator = LedgerPaginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def export_query(request) -> str:
    """The list's query string for its export link: every filter, not the page number
    (an export is the whole filtered list)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
