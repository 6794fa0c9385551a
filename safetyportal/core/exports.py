"""One generic Excel export for every list page: the list's filtered queryset in, an .xlsx
download out (ADR 0011's constant-memory sheet, safetyportal/core/excel.TableSheet).

    return xlsx_download(filterset.qs, ["occurred_at", "party_name", "town__name", ...],
                         sheet="事故报告", filename="事故报告")

Each column is a field path (`values_list`, one query over a server-side cursor, no model
instances); its header is the field's verbose name and choice fields give their labels,
unless a column is given as `(path, header)` or `(path, header, width)`. Text that would
start a formula is neutralised by TableSheet. The file name gets the date:
`事故报告-20260601.xlsx`. An export is the list the user sees: pass the same visible_to +
filter queryset as the page (the page's `export_query` keeps the filters).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence

from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse
from django.utils import timezone

from safetyportal.core.excel import TableSheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = str | tuple[str, str] | tuple[str, str, int]


def _field(model, path: str):
    """The model field `path` names, or None for an annotation (the queryset's own column:
    its header must then be given)."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def _width(field) -> int:
    internal = field.get_internal_type() if field is not None else ""
    if internal in ("TextField",):
        return 40
    if internal in ("DateField", "DateTimeField"):
        return 12 if internal == "DateField" else 17
    if internal in ("BooleanField", "IntegerField", "PositiveIntegerField", "DecimalField"):
        return 10
    return 18


def describe(model, columns: Sequence[Column]):
    """(paths, headers, widths, {column index: choice labels}) of `columns` on `model`."""
    paths, headers, widths, labels = [], [], [], {}
    for index, column in enumerate(columns):
        path, header, width = (
            (column, None, None) if isinstance(column, str) else (*column, None)[:3]
        )
        field = _field(model, path) if path != "pk" else None
        if field is None and path != "pk" and header is None:
            raise ValueError(f"export column {path!r} is not a field: give it a header")
        if field is not None and field.is_relation:
            # a bare relation exports its text (the related object's __str__ is not a
            # column): name the related text field instead
            raise ValueError(f"export column {path!r} is a relation; name a field of it")
        paths.append(path)
        headers.append(str(header or (field.verbose_name if field is not None else "ID")))
        widths.append(width or _width(field))
        if field is not None and field.choices:
            labels[index] = {value: str(label) for value, label in field.flatchoices}
    return paths, headers, widths, labels


def _plain(values: list) -> list:
    for index, value in enumerate(values):
        if isinstance(value, bool):
            values[index] = "是" if value else "否"
        elif hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
            values[index] = timezone.localtime(value).replace(tzinfo=None)
    return values


def write_xlsx(queryset, columns: Sequence[Column], handle, *, sheet: str) -> int:
    paths, headers, widths, labels = describe(queryset.model, columns)
    count = 0
    with TableSheet(handle, sheet[:31], headers, widths) as table:
        for row in queryset.values_list(*paths).iterator(chunk_size=2000):
            values = list(row)
            for index, names in labels.items():
                values[index] = names.get(values[index], values[index])
            table.append(_plain(values))
            count += 1
    return count


def _download(write, filename: str):
    # an anonymous file (unlinked at once), closed by FileResponse once sent
    descriptor, path = tempfile.mkstemp(suffix=".xlsx")
    os.unlink(path)
    handle = os.fdopen(descriptor, "w+b")
    try:
        write(handle)
    except Exception:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )


def xlsx_download(queryset, columns: Sequence[Column], *, sheet: str, filename: str):
    """The .xlsx of `queryset` as a download, written to a temporary file (constant memory,
    streamed to the client). A column may name an annotation of the queryset (with its
    header: `("item_count", "事项数", 10)`)."""
    return _download(lambda handle: write_xlsx(queryset, columns, handle, sheet=sheet), filename)


def rows_download(
    rows: Iterable[Sequence], headers: Sequence[tuple[str, int]], *, sheet: str, filename: str
):
    """A computed table (rows of values, already in the page's words) as an .xlsx download:
    for the lists that are not one queryset (a kept per-unit summary, a page's figures).
    `headers` are (header, width) pairs."""

    def write(handle):
        titles = [str(header) for header, _width in headers]
        with TableSheet(handle, sheet[:31], titles, [w for _h, w in headers]) as table:
            for row in rows:
                table.append(_plain(list(row)))

    return _download(write, filename)
