"""Writing cells that people will open in Excel or WPS."""

from __future__ import annotations

# A text cell starting with one of these is taken as a formula by spreadsheet programs
# (CSV/formula injection: "=HYPERLINK(...)" in a hazard description would become a
# live link in the county office's export).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` unchanged, except text that would start a formula, which gets a leading
    apostrophe so it is shown as typed."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]


class TableSheet:
    """One sheet of a table people will sort and filter: a bold frozen header row, column
    widths and an auto-filter over the rows written. Works in openpyxl's write-only mode
    (constant memory): widths and the frozen pane are set before the first row."""

    def __init__(self, workbook, title: str, headers, widths):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.sheet = workbook.create_sheet(title)
        self.columns = len(headers)
        self.rows = 0
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)
        self._last_column = get_column_letter(self.columns)

    def append(self, values) -> None:
        self.sheet.append(safe_row(values))
        self.rows += 1

    def close(self) -> None:
        """Put the auto-filter over the header and every row written."""
        self.sheet.auto_filter.ref = f"A1:{self._last_column}{self.rows + 1}"
