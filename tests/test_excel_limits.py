"""An uploaded workbook is measured before it is parsed (issue 8 item 25): its unpacked size,
its rows (blank ones too) and columns, the length of its cells."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError

from enterprises.importing import rows as importing
from enterprises.models import ImportJob, ImportStatus
from safetyportal.core.excel import check_xlsx_limits
from tests.enterprises.importing.test_registry_import import row, run_upload, workbook_bytes


def with_sheet_data(content: bytes, sheet_data: str) -> bytes:
    """`content` (an .xlsx) with its first sheet's rows replaced by `sheet_data` (XML)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<sheetData>") + len("<sheetData>")
                end = text.index("</sheetData>")
                data = (text[:start] + sheet_data + text[end:]).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def header_xml() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(importing.HEADERS)
    )
    return f'<row r="1">{cells}</row>'


def blank_rows(count: int, start: int = 2) -> str:
    return "".join(f'<row r="{n}"/>' for n in range(start, start + count))


def test_blank_rows_count_against_the_row_limit(settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 100
    content = with_sheet_data(workbook_bytes([]), header_xml() + blank_rows(101))
    with pytest.raises(ValidationError, match="空行也计算在内"):
        importing.read_rows(io.BytesIO(content))
    # exactly at the limit is fine (and holds no data)
    content = with_sheet_data(workbook_bytes([]), header_xml() + blank_rows(100))
    assert importing.read_rows(io.BytesIO(content)) == []


def test_a_far_row_number_counts_as_all_the_rows_before_it(settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 1000
    far = '<row r="3000000"><c r="A3000000" t="inlineStr"><is><t>x</t></is></c></row>'
    content = with_sheet_data(workbook_bytes([]), header_xml() + far)
    with pytest.raises(ValidationError, match="1000行"):
        importing.read_rows(io.BytesIO(content))


def test_three_million_blank_rows_are_refused_in_well_under_a_second(settings):
    content = with_sheet_data(workbook_bytes([]), header_xml() + "<row/>" * 3_000_000)
    assert len(content) < 500_000  # a small upload
    started = time.monotonic()
    with pytest.raises(ValidationError):
        check_xlsx_limits(io.BytesIO(content), max_rows=settings.REGISTRY_IMPORT_MAX_ROWS + 1)
    assert time.monotonic() - started < 10  # the unchecked import took 71 s


def test_too_many_columns_are_refused(settings):
    settings.EXCEL_IMPORT_MAX_COLUMNS = 20
    cell = '<row r="2"><c r="AA2" t="inlineStr"><is><t>x</t></is></c></row>'
    content = with_sheet_data(workbook_bytes([]), header_xml() + cell)
    with pytest.raises(ValidationError, match="20列"):
        importing.read_rows(io.BytesIO(content))


def test_the_unpacked_size_is_limited(settings):
    settings.EXCEL_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    big = '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 20_000 + "</t></is></c></row>"
    rows = "".join(big.replace('r="2"', f'r="{n}"').replace("A2", f"A{n}") for n in range(2, 80))
    content = with_sheet_data(workbook_bytes([]), header_xml() + rows)
    assert len(content) < 100_000  # compresses to almost nothing
    with pytest.raises(ValidationError, match="解压后超过1 MB"):
        importing.read_rows(io.BytesIO(content))


def test_a_huge_cell_is_refused_without_reading_it_whole(settings):
    huge = '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 5_000_000 + "</t></is></c></row>"
    content = with_sheet_data(workbook_bytes([]), header_xml() + huge)
    with pytest.raises(ValidationError, match="32767个字"):
        importing.read_rows(io.BytesIO(content))


def test_not_a_zip_is_unreadable():
    with pytest.raises(ValidationError, match="无法读取"):
        check_xlsx_limits(io.BytesIO(b"not a workbook"), max_rows=10)


def test_an_ordinary_file_passes_and_imports(settings):
    content = workbook_bytes([row(1), row(2)])
    source = io.BytesIO(content)
    check_xlsx_limits(source, max_rows=3)
    assert source.tell() == 0
    assert [number for number, _ in importing.read_rows(io.BytesIO(content))] == [2, 3]


def test_the_import_job_fails_visibly_with_the_limit_message(
    settings, county, county_officer, client_for, django_capture_on_commit_callbacks
):
    settings.REGISTRY_IMPORT_MAX_ROWS = 10
    content = with_sheet_data(workbook_bytes([]), header_xml() + blank_rows(50))
    run_upload(client_for(county_officer), content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "空行也计算在内" in job.errors[0]["message"]
