"""The delegated items' Excel layout, the downloadable template and the row checks of an
import (the page and `manage.py import_delegated_items` share them). Every row is checked
before anything is written; a file with any bad row imports nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from enforcement.authority.models import DelegatedItem
from responsibilities.models import Organisation, OrganisationKind
from safetyportal.core.excel import UnreadableWorkbook, check_xlsx_limits, iter_xlsx_rows

# the header row, as in fixtures/delegated_items_full.xlsx (scripts/delegated_items.py)
COLUMNS = [
    "事项编码",
    "事项名称",
    "委托机关代码",
    "法律依据",
    "处罚依据",
    "可予警告",
    "罚款下限（元）",
    "罚款上限（元）",
    "适用简易程序",
    "适用一般程序",
]
# the county delegated 119 items; a catalogue file is never much longer
MAX_ROWS = 500
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", "×", ""}


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    # (Excel row number, message in Chinese)
    errors: list[tuple[int, str]] = field(default_factory=list)
    existing_codes: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "委托执法事项"
    sheet.append(COLUMNS)
    sheet.append(
        [
            "LXWT-014",
            "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志",
            "dept-yjj",
            "《中华人民共和国安全生产法》第三十五条",
            "《中华人民共和国安全生产法》第九十九条第一项",
            "否",
            None,
            50000,
            "是",
            "是",
        ]
    )
    for column, width in zip("ABCDEFGHIJ", (12, 50, 14, 36, 40, 10, 14, 14, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse_workbook(source) -> ParsedFile:
    """The rows of an uploaded catalogue, checked. Raises ValidationError (Chinese) when the
    file is not an .xlsx, is too large, or its header is not the template's."""
    check_xlsx_limits(source, max_rows=MAX_ROWS + 1, max_columns=len(COLUMNS) + 10)
    records: list[tuple[int, dict]] = []
    try:
        rows = iter_xlsx_rows(source)
        header = None
        for number, values in rows:
            if header is None:
                header = [str(v).strip() if v is not None else "" for v in values]
                if header[: len(COLUMNS)] != COLUMNS:
                    raise ValidationError(
                        _("第一行必须是模板的表头（%(columns)s），请下载模板后按模板填写。")
                        % {"columns": "、".join(COLUMNS)}
                    )
                continue
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            values = list(values) + [None] * (len(COLUMNS) - len(values))
            records.append((number, dict(zip(COLUMNS, values[: len(COLUMNS)], strict=True))))
    except UnreadableWorkbook:
        raise ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写后上传。")) from None
    if header is None:
        raise ValidationError(_("文件是空的，请使用下载的模板填写后上传。"))
    return check_records(records)


def records_from_fixture(items: list[dict]) -> list[tuple[int, dict]]:
    """fixtures/delegated_items.json's entries as records (numbered from 1)."""
    yes_no = {True: "是", False: "否"}
    return [
        (
            number,
            {
                "事项编码": item["code"],
                "事项名称": item["name"],
                "委托机关代码": item["delegating_department"],
                "法律依据": item["legal_basis"],
                "处罚依据": item.get("penalty_basis", ""),
                "可予警告": yes_no[bool(item.get("allows_warning"))],
                "罚款下限（元）": item.get("min_fine"),
                "罚款上限（元）": item.get("max_fine"),
                "适用简易程序": yes_no[bool(item.get("allows_simple", True))],
                "适用一般程序": yes_no[bool(item.get("allows_general", True))],
            },
        )
        for number, item in enumerate(items, 1)
    ]


def check_records(records: list[tuple[int, dict]]) -> ParsedFile:
    parsed = ParsedFile()
    if len(records) > MAX_ROWS:
        parsed.errors.append((0, _("一次最多导入 %(max)s 条事项。") % {"max": MAX_ROWS}))
        return parsed
    departments = {
        o.code: o.pk for o in Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
    }
    seen: dict[str, int] = {}
    for number, record in records:
        row, errors = _check(record, departments)
        code = row.get("code")
        if code:
            if code in seen:
                errors.append(
                    _("事项编码 %(code)s 与第 %(row)s 行重复。") % {"code": code, "row": seen[code]}
                )
            seen.setdefault(code, number)
        for message in errors:
            parsed.errors.append((number, message))
        if not errors:
            row["row_number"] = number
            parsed.rows.append(row)
    if not records:
        parsed.errors.append((0, _("文件中没有事项，请在表头下方逐行填写。")))
    parsed.existing_codes = set(
        DelegatedItem.objects.filter(code__in=list(seen)).values_list("code", flat=True)
    )
    return parsed


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check(record: dict, departments: dict[str, int]) -> tuple[dict, list[str]]:
    errors: list[str] = []
    row: dict = {}
    code = _text(record["事项编码"])
    if not code:
        errors.append(_("“事项编码”不能为空。"))
    elif len(code) > 30:
        errors.append(_("“事项编码”不能超过 30 个字符。"))
    row["code"] = code
    name = _text(record["事项名称"])
    if not name:
        errors.append(_("“事项名称”不能为空。"))
    elif len(name) > 300:
        errors.append(_("“事项名称”不能超过 300 个字符。"))
    row["name"] = name
    department = _text(record["委托机关代码"])
    if department not in departments:
        errors.append(
            _("委托机关代码“%(code)s”不是县直部门的代码（例如 dept-yjj 表示县应急管理局）。")
            % {"code": department}
        )
    row["delegating_department_id"] = departments.get(department)
    row["legal_basis"] = _text(record["法律依据"])
    if not row["legal_basis"]:
        errors.append(_("“法律依据”不能为空。"))
    row["penalty_basis"] = _text(record["处罚依据"])
    for key, column in (
        ("allows_warning", "可予警告"),
        ("allows_simple", "适用简易程序"),
        ("allows_general", "适用一般程序"),
    ):
        value = _text(record[column]).lower()
        if value in YES:
            row[key] = True
        elif value in NO:
            row[key] = False
        else:
            errors.append(_("“%(column)s”请填“是”或“否”。") % {"column": column})
    for key, column in (("min_fine", "罚款下限（元）"), ("max_fine", "罚款上限（元）")):
        value = _text(record[column]).replace(",", "")
        if not value:
            row[key] = None
            continue
        try:
            amount = Decimal(value).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors.append(_("“%(column)s”必须是数字（元）。") % {"column": column})
            continue
        if amount < 0 or amount >= Decimal("10000000000"):
            errors.append(_("“%(column)s”超出合理范围。") % {"column": column})
            continue
        row[key] = amount
    low, high = row.get("min_fine"), row.get("max_fine")
    if low is not None and high is None and "max_fine" in row:
        errors.append(_("填写了罚款下限时，罚款上限也必须填写。"))
    if low is not None and high is not None and low > high:
        errors.append(_("罚款下限不能高于罚款上限。"))
    if row.get("allows_simple") is False and row.get("allows_general") is False:
        errors.append(_("简易程序和一般程序至少适用一种。"))
    if row.get("allows_warning") is False and "max_fine" in row and high is None:
        errors.append(_("既不能警告也没有罚款的事项无法执法，请填写罚款上限或将“可予警告”填“是”。"))
    return row, errors
