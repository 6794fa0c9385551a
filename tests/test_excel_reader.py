"""The streaming .xlsx reader of imports (safetyportal.core.excel.iter_xlsx_rows) and the
constant-memory table writer of exports (TableSheet)."""

from __future__ import annotations

import datetime
import io
import os
import zipfile

import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook

from safetyportal.core.excel import TableSheet, UnreadableWorkbook, iter_xlsx_rows


def openpyxl_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(content: bytes) -> list:
    return list(iter_xlsx_rows(io.BytesIO(content)))


def test_reads_what_openpyxl_reads_shared_strings_numbers_gaps_and_booleans():
    def build(workbook):
        sheet = workbook.active
        sheet.append(["企业名称", "从业人员数", "高危企业"])
        sheet.append(["小渡口化工有限公司", 120, True])
        sheet["C4"] = "澧县"  # a gap: row 3 is blank, A4 and B4 empty
        sheet["A5"] = 1.5
        sheet["B5"] = "小渡口化工有限公司"  # the same shared string again
        sheet["D5"] = False

    content = openpyxl_bytes(build)
    assert rows_of(content) == [
        (1, ["企业名称", "从业人员数", "高危企业"]),
        (2, ["小渡口化工有限公司", 120, True]),
        (4, [None, None, "澧县"]),
        (5, [1.5, "小渡口化工有限公司", None, False]),
    ]
    # openpyxl gives the same values (its rows padded to the widest)
    expected = list(load_workbook(io.BytesIO(content), read_only=True).active.values)
    ours = {number: values for number, values in rows_of(content)}
    for number, values in enumerate(expected, start=1):
        assert values[: len(ours.get(number, []))] == tuple(ours.get(number, []))


def test_reads_the_first_sheet_in_the_workbook_order_not_the_first_file():
    def build(workbook):
        workbook.active.title = "选项"
        workbook.active["A1"] = "选项表"
        workbook.create_sheet("企业名录")["A1"] = "名录表"
        workbook.move_sheet("企业名录", offset=-1)

    assert rows_of(openpyxl_bytes(build)) == [(1, ["名录表"])]


def test_reads_rich_text_and_inline_strings_and_skips_phonetic_guides():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    sheet.write_rich_string(0, 0, "小渡口", bold, "化工", "有限公司")
    sheet.write_string(0, 1, "澧阳街道")
    workbook.close()
    # WPS and Excel keep a pinyin guide (<rPh>) inside the shared string: not the cell's text
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    parts = {name: source.read(name) for name in source.namelist()}
    strings = parts["xl/sharedStrings.xml"].decode()
    parts["xl/sharedStrings.xml"] = strings.replace(
        "<t>澧阳街道</t>", '<t>澧阳街道</t><rPh sb="0" eb="2"><t>liyang</t></rPh>'
    ).encode()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert rows_of(rebuilt.getvalue()) == [(1, ["小渡口化工有限公司", "澧阳街道"])]

    inline = io.BytesIO()
    with TableSheet(inline, "名录", ["企业名称"], [20]) as table:  # inline strings
        table.append(["小渡口化工有限公司"])
    assert rows_of(inline.getvalue()) == [(1, ["企业名称"]), (2, ["小渡口化工有限公司"])]


@pytest.mark.parametrize(
    "content",
    [b"not a zip", b"PK\x05\x06" + b"\x00" * 18],  # garbage; an empty zip archive
)
def test_a_file_that_is_not_a_workbook_is_unreadable(content):
    with pytest.raises(UnreadableWorkbook):
        rows_of(content)


def test_damaged_sheet_xml_is_unreadable():
    content = openpyxl_bytes(lambda workbook: workbook.active.append(["a"]))
    source = zipfile.ZipFile(io.BytesIO(content))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(name, data)
    with pytest.raises(UnreadableWorkbook):
        rows_of(rebuilt.getvalue())


def test_table_sheet_writes_typed_cells_and_neutralises_formulas():
    buffer = io.BytesIO()
    with TableSheet(buffer, "台账", ["文字", "数字", "日期", "是否", "空"], [10] * 5) as table:
        table.append(["=HYPERLINK(1)", 7, datetime.date(2026, 12, 1), True, None])
        table.append(["-1+2", 1.5, datetime.datetime(2026, 12, 1, 8, 30), False, ""])
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    first, second = list(sheet.iter_rows(min_row=2))
    assert [c.data_type for c in first[:4]] == ["s", "n", "d", "b"]
    assert [c.value for c in first] == [
        "'=HYPERLINK(1)",
        7,
        datetime.datetime(2026, 12, 1),
        True,
        None,
    ]
    assert second[0].value == "'-1+2" and second[4].value is None
    assert second[2].value == datetime.datetime(2026, 12, 1, 8, 30)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E3"
    assert sheet["A1"].font.b


def test_table_sheet_leaves_no_temporary_files_when_a_write_fails():
    buffer = io.BytesIO()
    with pytest.raises(RuntimeError), TableSheet(buffer, "台账", ["文字"], [10]) as table:
        table.append(["一行"])
        folder = table._tmpdir.name
        raise RuntimeError
    assert not os.path.exists(folder)
