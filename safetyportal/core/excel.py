"""Writing cells that people will open in Excel or WPS."""

from __future__ import annotations

import datetime
import tempfile
import zipfile
from decimal import Decimal
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


def _column_number(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - ord("A") + 1)
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
        self._tmpdir.cleanup()
