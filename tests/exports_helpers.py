"""Reading an Excel export in tests: the rows of the downloaded sheet, header first."""

from __future__ import annotations

import io

import openpyxl


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def column(rows: list[tuple], header: str) -> list:
    """The values under `header` (the data rows only)."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
