"""Writing cells that people will open in Excel or WPS."""

from __future__ import annotations

import contextlib
import datetime
import tempfile
import zipfile
from decimal import Decimal
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safetyportal.core.text import strip_control_characters

# A text cell starting with one of these is taken as a formula by spreadsheet programs
# (CSV/formula injection: "=HYPERLINK(...)" in a hazard description would become a
# live link in the county office's export).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` unchanged, except text: its control characters are dropped (an .xlsx cannot
    hold them: openpyxl raises IllegalCharacterError, and text stored before input was
    cleaned may have them), and text that would start a formula gets a leading apostrophe
    so it is shown as typed."""
    if not isinstance(value, str):
        return value
    value = strip_control_characters(value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]


# --- reading uploaded workbooks -------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW = f"{_MAIN_NS} row"
_CELL = f"{_MAIN_NS} c"
# Excel itself keeps at most 32,767 characters in a cell
MAX_CELL_CHARACTERS = 32_767
_CHUNK = 64 * 1024


class _OverLimit(Exception):
    pass


_COLUMN_NUMBERS: dict[str, int] = {}


def _column_number(reference: str) -> int:
    """1 for "A1", 28 for "AB7" (called for every cell: the letters' numbers are kept)."""
    letters = reference.rstrip("0123456789")
    number = _COLUMN_NUMBERS.get(letters)
    if number is None:
        number = 0
        for char in letters:
            if not char.isalpha():
                break
            number = number * 26 + (ord(char.upper()) - ord("A") + 1)
        if len(letters) <= 3:  # Excel's columns end at XFD: at most 18,278 entries
            _COLUMN_NUMBERS[letters] = number
    return number


def _row_number(reference: str) -> int:
    digits = "".join(c for c in reference if c.isdigit())
    return int(digits) if digits else 0


def check_xlsx_limits(
    source,
    *,
    max_rows: int,
    max_columns: int | None = None,
    max_uncompressed_bytes: int | None = None,
) -> None:
    """Refuse an uploaded .xlsx before a parser spends time or memory on it: a small file
    can unpack to gigabytes (a 433 KB file of 3 million blank rows, a 311 KB file holding a
    300 MB cell). Checks, in one streaming pass with constant memory:

    - the archive's total uncompressed size (settings.EXCEL_IMPORT_MAX_UNCOMPRESSED_BYTES);
    - every worksheet's rows, blank rows and row numbers included (`max_rows`, the header
      row included), and columns (settings.EXCEL_IMPORT_MAX_COLUMNS);
    - every cell's text (Excel's own limit, 32,767 characters).

    Raises ValidationError with a Chinese message; rewinds `source` when it passes.
    """
    max_columns = max_columns or settings.EXCEL_IMPORT_MAX_COLUMNS
    max_bytes = max_uncompressed_bytes or settings.EXCEL_IMPORT_MAX_UNCOMPRESSED_BYTES
    unreadable = ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写后上传。"))
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    with archive:
        members = archive.infolist()
        if len(members) > 10_000 or sum(m.file_size for m in members) > max_bytes:
            raise ValidationError(
                _(
                    "文件解压后超过%(size)s MB，无法导入。请删除多余的工作表、图片和空行，"
                    "或拆分文件后分批导入。"
                )
                % {"size": max_bytes // (1024 * 1024)}
            )
        for member in members:
            if member.filename.lower().endswith(".xml"):
                _check_part(archive, member, max_rows, max_columns, unreadable)
    if hasattr(source, "seek"):
        source.seek(0)


def _check_part(archive, member, max_rows, max_columns, unreadable) -> None:
    state = {"rows": 0, "text": 0}

    def start(name, attrs):
        state["text"] = 0
        if name == _ROW:
            state["rows"] += 1
            number = _row_number(attrs.get("r", "")) or state["rows"]
            if state["rows"] > max_rows or number > max_rows:
                raise _OverLimit(
                    _(
                        "工作表超过%(rows)s行（空行也计算在内），请删除多余的空行，"
                        "或拆分文件后分批导入。"
                    )
                    % {"rows": max_rows - 1}
                )
        elif name == _CELL and _column_number(attrs.get("r", "")) > max_columns:
            raise _OverLimit(
                _("工作表超过%(columns)s列，请使用下载的模板，删除模板以外的列。")
                % {"columns": max_columns}
            )

    def text(data):
        state["text"] += len(data)
        if state["text"] > MAX_CELL_CHARACTERS:
            raise _OverLimit(
                _("有单元格超过%(count)s个字，请检查文件内容。") % {"count": MAX_CELL_CHARACTERS}
            )

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.buffer_text = False
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _OverLimit as error:
        raise ValidationError(str(error)) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise unreadable from None


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# the parts of a shared string or an inline string whose text is the cell's: <t> inside
# <si>/<is> or inside a rich-text run <r>, not the phonetic guide <rPh> that WPS and Excel
# add above Chinese text
_TEXT = f"{_MAIN_NS} t"
_PHONETIC = f"{_MAIN_NS} rPh"


class UnreadableWorkbook(Exception):
    """The file is not an .xlsx this reader understands (no worksheet, damaged XML)."""


def _parse(handle, start, end, text) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    while chunk := handle.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _relationships(archive, path: str) -> dict[str, tuple[str, str]]:
    """{id: (type, target path inside the archive)} of the part at `path`."""
    folder, _slash, name = path.rpartition("/")
    rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    result: dict[str, tuple[str, str]] = {}

    def start(tag, attrs):
        if tag == f"{_PKG_REL_NS} Relationship":
            target = attrs.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            elif folder:
                target = f"{folder}/{target}"
            parts: list[str] = []
            for part in target.split("/"):
                if part == "..":
                    if parts:
                        parts.pop()
                elif part and part != ".":
                    parts.append(part)
            result[attrs.get("Id", "")] = (attrs.get("Type", ""), "/".join(parts))

    # a part without relationships has no .rels file in the archive: nothing to resolve
    with contextlib.suppress(KeyError), archive.open(rels_path) as handle:
        _parse(handle, start, lambda tag: None, lambda data: None)
    return result


def _strings(archive, path: str | None) -> list[str]:
    strings: list[str] = []
    if path is None:
        return strings
    state: dict[str, Any] = {"in_text": False, "phonetic": 0}
    current: list[str] = []

    def start(tag, attrs):
        if tag == _TEXT and not state["phonetic"]:
            state["in_text"] = True
        elif tag == _PHONETIC:
            state["phonetic"] += 1
        elif tag == f"{_MAIN_NS} si":
            current.clear()

    def end(tag):
        if tag == _TEXT:
            state["in_text"] = False
        elif tag == _PHONETIC:
            state["phonetic"] -= 1
        elif tag == f"{_MAIN_NS} si":
            strings.append("".join(current))

    def text(data):
        if state["in_text"]:
            current.append(data)

    # a workbook may name a shared-strings part it does not hold (some writers do when every
    # cell is inline or numeric): then there are no shared strings
    with contextlib.suppress(KeyError), archive.open(path) as handle:
        _parse(handle, start, end, text)
    return strings


def _number(text: str):
    """A numeric cell's value as openpyxl gives it: int unless it has a point or exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def iter_xlsx_rows(source):
    """(row number, [values]) for each row of the first worksheet of the .xlsx `source`, in
    one streaming pass with constant memory (apart from the shared strings): numbers as int
    or float, booleans as bool, text as str, errors as their text ("#N/A"), empty cells as
    None, each row as long as its last cell. Rows are numbered as in Excel (gaps kept).
    Values are what the file stores: dates stay numbers (the registry has no dates), and
    formulas give their last computed value. Call `check_xlsx_limits` first; raises
    UnreadableWorkbook for a file that is not an .xlsx workbook."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableWorkbook from None
    with archive:
        try:
            yield from _sheet_rows(archive)
        except (expat.ExpatError, zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
            raise UnreadableWorkbook from None


def _sheet_rows(archive):
    workbook_path = next(
        (
            target
            for kind, target in _relationships(archive, "").values()
            if kind.endswith("/officeDocument")
        ),
        "xl/workbook.xml",
    )
    parts = _relationships(archive, workbook_path)
    first: list[str] = []

    def sheet_start(tag, attrs):
        if tag == f"{_MAIN_NS} sheet" and not first:
            first.append(attrs.get(f"{_REL_NS} id", ""))

    with archive.open(workbook_path) as handle:
        _parse(handle, sheet_start, lambda tag: None, lambda data: None)
    if not first or first[0] not in parts:
        raise UnreadableWorkbook
    sheet_path = parts[first[0]][1]
    shared = _strings(
        archive,
        next((t for kind, t in parts.values() if kind.endswith("/sharedStrings")), None),
    )

    rows: list[tuple[int, list]] = []
    row: list = []
    cell: dict[str, Any] = {"column": 0, "type": "n", "in_value": False, "phonetic": 0, "row": 0}
    text: list[str] = []
    cell_tag, value_tag, row_tag = _CELL, f"{_MAIN_NS} v", _ROW

    def start(tag, attrs):
        if tag == cell_tag:
            reference = attrs.get("r")
            cell["column"] = _column_number(reference) - 1 if reference else len(row)
            cell["type"] = attrs.get("t", "n")
            text.clear()
        elif tag == value_tag or (tag == _TEXT and not cell["phonetic"]):
            cell["in_value"] = True
        elif tag == _PHONETIC:
            cell["phonetic"] += 1
        elif tag == row_tag:
            row.clear()
            reference = attrs.get("r")
            cell["row"] = int(reference) if reference else cell["row"] + 1

    def end(tag):
        if tag == cell_tag:
            raw = "".join(text)
            kind = cell["type"]
            value: Any
            if kind == "s":
                value = shared[int(raw)] if raw else None
            elif kind in ("inlineStr", "str", "e", "d"):
                value = raw
            elif kind == "b":
                value = raw.strip() in ("1", "true") if raw else None
            else:
                value = _number(raw) if raw else None
            column = cell["column"]
            if column >= len(row):
                row.extend([None] * (column + 1 - len(row)))
            row[column] = value
        elif tag in (value_tag, _TEXT):
            cell["in_value"] = False
        elif tag == _PHONETIC:
            cell["phonetic"] -= 1
        elif tag == row_tag:
            rows.append((cell["row"], list(row)))

    def characters(data):
        if cell["in_value"]:
            text.append(data)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.buffer_text = True
    with archive.open(sheet_path) as handle:
        while chunk := handle.read(_CHUNK):
            parser.Parse(chunk, False)
            yield from rows
            rows.clear()
        parser.Parse(b"", True)
        yield from rows
        rows.clear()


class TableSheet:
    """One sheet of a table people will sort and filter, written straight to `handle` as an
    .xlsx: a bold frozen header row, column widths and an auto-filter over the rows written.

    XlsxWriter in constant-memory mode (ADR 0011): each row goes to a temporary file as it is
    appended, so memory stays flat whatever the number of rows, at about four times the speed
    of openpyxl's write-only mode. Every value goes through `safe_cell` and is written with
    its type (text as text: "=1+1" can never become a formula); dates and times get a date
    format. Use as a context manager, or call `close()` (`discard()` on failure)."""

    def __init__(self, handle, title: str, headers, widths):
        import xlsxwriter

        self._tmpdir = tempfile.TemporaryDirectory(prefix="xlsx-")
        self.workbook = xlsxwriter.Workbook(
            handle,
            {
                "constant_memory": True,
                "tmpdir": self._tmpdir.name,
                # write() guesses nothing: text stays text (no formulas, links or numbers)
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.sheet = self.workbook.add_worksheet(title)
        self.columns = len(headers)
        self.rows = 0
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)
        self.sheet.freeze_panes(1, 0)
        self._date = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        self._datetime = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        bold = self.workbook.add_format({"bold": True})
        for column, header in enumerate(headers):
            self.sheet.write_string(0, column, safe_cell(str(header)), bold)

    def __enter__(self) -> TableSheet:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def append(self, values) -> None:
        self.rows += 1
        row = self.rows
        sheet = self.sheet
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                if value:
                    sheet.write_string(row, column, safe_cell(value))
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row, column, value)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(row, column, value, self._datetime)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, column, value, self._date)
            else:
                sheet.write_string(row, column, safe_cell(str(value)))

    def close(self) -> None:
        """Put the auto-filter over the header and every row written, and finish the file."""
        try:
            self.sheet.autofilter(0, 0, self.rows, self.columns - 1)
            self.workbook.close()
        finally:
            self._tmpdir.cleanup()

    def discard(self) -> None:
        """Drop the temporary files of a table that will not be finished."""
        rows_file = getattr(self.sheet, "row_data_fh", None)  # XlsxWriter's, open until close
        if rows_file is not None:
            rows_file.close()
        self._tmpdir.cleanup()
