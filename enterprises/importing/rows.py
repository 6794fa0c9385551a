"""The registry's Excel layout and the row checks of an import.

Every row is checked first (required fields, the USCC check character, known town and
industry, duplicates in the file and in the registry) against reference data loaded once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from enterprises.permissions import Action, refusal
from enterprises.registry.models import Enterprise, EnterpriseScale, EnterpriseStatus
from enterprises.registry.uscc import check_character, normalise_uscc, validate_uscc
from responsibilities.models import Industry, Organisation
from safetyportal.core.excel import check_xlsx_limits


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool
    max_length: int = 0


COLUMNS = (
    Column("企业名称", "name", True, 200),
    Column("统一社会信用代码", "uscc", True, 18),
    Column("所在镇街", "town", True),
    Column("行业领域", "industry", True),
    Column("地址", "address", True, 200),
    Column("从业人员数", "employee_count", True),
    Column("规模", "scale", False),
    Column("高危企业", "is_high_risk", False),
    Column("经营状态", "status", False),
    Column("法定代表人", "legal_representative", True, 50),
    Column("主要负责人", "principal_name", True, 50),
    Column("主要负责人电话", "principal_phone", False, 20),
)
HEADERS = [c.header for c in COLUMNS]
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}
EXAMPLE_USCC = "91430723000000001" + check_character("91430723000000001")
PROGRESS_EVERY = 500
# far above any enterprise in the county; keeps a typo out of the registry and the value
# inside the database column's range
MAX_EMPLOYEES = 1_000_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def template_workbook() -> bytes:
    """The downloadable template: the header row and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名录"
    sheet.append(HEADERS)
    sheet.append(
        [
            "澧县示例化工有限公司",
            EXAMPLE_USCC,
            "小渡口镇",
            "危险化学品",
            "澧县小渡口镇示例路1号",
            120,
            "小型",
            "是",
            "在营",
            "张三",
            "李四",
            "13800000000",
        ]
    )
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18 if column.max_length else 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_rows(source) -> list[tuple[int, dict]]:
    """(row number, {field: raw value}) for each non-empty row; raises ValidationError
    when the file is not an .xlsx or its header row is not the template's."""
    check_xlsx_limits(source, max_rows=settings.REGISTRY_IMPORT_MAX_ROWS + 1)  # + header
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged or foreign file
        raise ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写后上传。")) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [("" if v is None else str(v).strip()) for v in next(rows, ())]
        if header[: len(HEADERS)] != HEADERS:
            raise ValidationError(
                _("表头与模板不一致，请使用下载的模板，第一行依次为：%(headers)s。")
                % {"headers": "、".join(HEADERS)}
            )
        result = []
        for number, values in enumerate(rows, start=2):
            values = list(values[: len(COLUMNS)]) + [None] * (len(COLUMNS) - len(values))
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            result.append((number, {c.field: v for c, v in zip(COLUMNS, values, strict=True)}))
            if len(result) > settings.REGISTRY_IMPORT_MAX_ROWS:
                raise ValidationError(
                    _("一次最多导入%(count)s行，请拆分文件后分批导入。")
                    % {"count": settings.REGISTRY_IMPORT_MAX_ROWS}
                )
        return result
    finally:
        workbook.close()


class RowValidator:
    """Checks rows against the reference data, loaded once (a few queries per file)."""

    def __init__(self, *, actor):
        self.actor = actor
        self.towns: dict[str, Organisation] = {}
        for town in Organisation.objects.towns().active():
            for key in (town.name, town.short_name, town.code):
                if key:
                    self.towns[key] = town
        self.industries: dict[str, Industry] = {}
        for industry in Industry.objects.active():
            self.industries[industry.name] = industry
            self.industries[industry.code] = industry
        # the template's columns hold the Chinese labels, whatever language the user reads
        with translation.override("zh-hans"):
            self.scales = {str(label): value for value, label in EnterpriseScale.choices}
            self.statuses = {str(label): value for value, label in EnterpriseStatus.choices}

    def validate(
        self, rows: list[tuple[int, dict]], progress: Callable[[int], None] | None = None
    ) -> tuple[list[Enterprise], list[RowError]]:
        errors: list[RowError] = []
        enterprises: list[Enterprise] = []
        seen: dict[str, int] = {}
        codes = {normalise_uscc(str(r["uscc"] or "")) for _, r in rows}
        registered = set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
        for index, (number, raw) in enumerate(rows, start=1):
            enterprise, row_errors = self._row(number, raw, seen, registered)
            errors.extend(row_errors)
            if enterprise is not None and not row_errors:
                enterprises.append(enterprise)
            if progress and index % PROGRESS_EVERY == 0:
                progress(index)
        if progress:
            progress(len(rows))
        return enterprises, errors

    def _row(self, number, raw, seen, registered):
        errors = []

        def error(header, message):
            errors.append(RowError(number, header, message))

        values: dict = {}
        for column in COLUMNS:
            value = raw[column.field]
            text = "" if value is None else str(value).strip()
            if column.required and not text:
                error(column.header, _("“%(column)s”不能为空。") % {"column": column.header})
            elif column.max_length and len(text) > column.max_length and column.field != "uscc":
                error(
                    column.header,
                    _("“%(column)s”最多%(count)s个字。")
                    % {"column": column.header, "count": column.max_length},
                )
            values[column.field] = text
        uscc = normalise_uscc(values["uscc"])
        if uscc:
            try:
                validate_uscc(uscc)
            except ValidationError as exc:
                error("统一社会信用代码", exc.messages[0])
            else:
                if uscc in seen:
                    error(
                        "统一社会信用代码",
                        _("与第%(row)s行的统一社会信用代码重复。") % {"row": seen[uscc]},
                    )
                elif uscc in registered:
                    error(
                        "统一社会信用代码",
                        _("统一社会信用代码%(uscc)s已在企业名录中登记。") % {"uscc": uscc},
                    )
                else:
                    seen[uscc] = number
        town = self.towns.get(values["town"])
        if values["town"] and town is None:
            error(
                "所在镇街",
                _("没有名为“%(town)s”的镇街，请填写镇街全称或行政区划代码。")
                % {"town": values["town"]},
            )
        elif town is not None and (
            reason := refusal(self.actor, Action.IMPORT, Enterprise(town=town))
        ):
            error("所在镇街", reason)
        industry = self.industries.get(values["industry"])
        if values["industry"] and industry is None:
            error(
                "行业领域",
                _("没有名为“%(industry)s”的行业，请按行业目录填写。")
                % {"industry": values["industry"]},
            )
        employee_count = None
        if values["employee_count"]:
            try:
                employee_count = int(float(values["employee_count"]))
                if employee_count != float(values["employee_count"]):
                    raise ValueError
            except (ValueError, ArithmeticError):  # "abc", "nan"; "inf" raises OverflowError
                employee_count = None
                error(
                    "从业人员数",
                    _("从业人员数应为非负整数，当前为“%(value)s”。")
                    % {"value": values["employee_count"]},
                )
            else:
                if not 0 <= employee_count <= MAX_EMPLOYEES:
                    error(
                        "从业人员数",
                        _("从业人员数应在0到%(max)s之间，当前为“%(value)s”。")
                        % {"max": MAX_EMPLOYEES, "value": values["employee_count"]},
                    )
        scale = self.scales.get(values["scale"] or "小型")
        if scale is None:
            error("规模", _("规模应为大型、中型、小型或微型。"))
        status = self.statuses.get(values["status"] or "在营")
        if status is None:
            error("经营状态", _("经营状态应为在营、停产整顿或关闭。"))
        flag = values["is_high_risk"].lower()
        if flag and flag not in YES | NO:
            error("高危企业", _("高危企业请填“是”或“否”。"))
        if errors:
            return None, errors
        return (
            Enterprise(
                name=values["name"],
                uscc=uscc,
                town=town,
                industry=industry,
                address=values["address"],
                employee_count=employee_count,
                scale=scale,
                is_high_risk=(flag in YES) if flag else industry.is_high_risk,
                status=status,
                legal_representative=values["legal_representative"],
                principal_name=values["principal_name"],
                principal_phone=values["principal_phone"],
            ),
            [],
        )
