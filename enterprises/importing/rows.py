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
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.permissions import Action, refusal
from enterprises.registry.models import Enterprise, EnterpriseScale, EnterpriseStatus
from enterprises.registry.phone import normalise_phone, validate_phone
from enterprises.registry.uscc import normalise_uscc, validate_uscc
from responsibilities.models import Industry, Organisation
from safetyportal.core.excel import UnreadableWorkbook, check_xlsx_limits, iter_xlsx_rows


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
FIELDS = [c.field for c in COLUMNS]
CHOICES_SHEET = "选项"
# rows of the template that get the drop-down lists
TEMPLATE_ROWS = 5000
# in characters, one per column
WIDTHS = [30, 22, 14, 16, 36, 12, 8, 10, 10, 12, 12, 16]
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}
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


def template_workbook(*, actor) -> bytes:
    """The downloadable template: the header row, nothing to delete, and drop-down lists
    (from a sheet of choices) for the towns `actor` may import into, the industries and the
    enumerations, so a name can be picked instead of typed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名录"
    sheet.append(HEADERS)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    towns = [
        town.name
        for town in Organisation.objects.towns().active().order_by("code")
        if not refusal(actor, Action.IMPORT, Enterprise(town=town))
    ]
    with translation.override("zh-hans"):
        choices = {
            "town": towns,
            "industry": list(Industry.objects.active().values_list("name", flat=True)),
            "scale": [str(label) for _value, label in EnterpriseScale.choices],
            "is_high_risk": ["是", "否"],
            "status": [str(label) for _value, label in EnterpriseStatus.choices],
        }
    lists = workbook.create_sheet(CHOICES_SHEET)
    lists.sheet_state = "hidden"
    for list_index, (field, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(list_index)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=list_index, value=value)
        column = get_column_letter(FIELDS.index(field) + 1)
        header = COLUMNS[FIELDS.index(field)].header
        validation = DataValidation(
            type="list",
            formula1=f"'{CHOICES_SHEET}'!${letter}$1:${letter}${max(len(values), 1)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=_("请从下拉列表中选择“%(column)s”。") % {"column": header},
        )
        validation.add(f"{column}2:{column}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_rows(source) -> list[tuple[int, dict]]:
    """(row number, {field: raw value}) for each non-empty row; raises ValidationError
    when the file is not an .xlsx or its header row is not the template's."""
    check_xlsx_limits(source, max_rows=settings.REGISTRY_IMPORT_MAX_ROWS + 1)  # + header
    unreadable = ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写后上传。"))
    width = len(COLUMNS)
    try:
        rows = iter_xlsx_rows(source)
        header_row = next(rows, None)
        # the header must be the sheet's first row, as the template has it
        first = header_row[1] if header_row and header_row[0] == 1 else []
        header = [("" if v is None else str(v).strip()) for v in first]
        if header[: len(HEADERS)] != HEADERS:
            raise ValidationError(
                _("表头与模板不一致，请使用下载的模板，第一行依次为：%(headers)s。")
                % {"headers": "、".join(HEADERS)}
            )
        result = []
        for number, values in rows:
            values = values[:width] + [None] * (width - len(values))
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            result.append((number, dict(zip(FIELDS, values, strict=True))))
            if len(result) > settings.REGISTRY_IMPORT_MAX_ROWS:
                raise ValidationError(
                    _("一次最多导入%(count)s行，请拆分文件后分批导入。")
                    % {"count": settings.REGISTRY_IMPORT_MAX_ROWS}
                )
        return result
    except UnreadableWorkbook:
        raise unreadable from None


class RowValidator:
    """Checks rows against the reference data, loaded once (a few queries per file)."""

    def __init__(self, *, actor):
        self.actor = actor
        self.towns: dict[str, Organisation] = {}
        for town in Organisation.objects.towns().active():
            # the full name or the code: a short name ("小渡口") is not checked against
            # anything and may be ambiguous; the template offers the full names
            self.towns[town.name] = town
            if town.code:
                self.towns[town.code] = town
        self.industries: dict[str, Industry] = {}
        for industry in Industry.objects.active():
            self.industries[industry.name] = industry
            self.industries[industry.code] = industry
        # the template's columns hold the Chinese labels, whatever language the user reads
        with translation.override("zh-hans"):
            self.scales = {str(label): value for value, label in EnterpriseScale.choices}
            self.statuses = {str(label): value for value, label in EnterpriseStatus.choices}
        self._refusals: dict[int, str | None] = {}

    def _refusal(self, town) -> str | None:
        """Why the actor may not import into `town` (the rule asked once per town)."""
        if town.pk not in self._refusals:
            self._refusals[town.pk] = refusal(self.actor, Action.IMPORT, Enterprise(town=town))
        return self._refusals[town.pk]

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
                _("没有名为“%(town)s”的镇街，请从下拉列表中选择镇街全称（如“小渡口镇”）。")
                % {"town": values["town"]},
            )
        elif town is not None and (reason := self._refusal(town)):
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
        phone = normalise_phone(values["principal_phone"])
        if phone:
            try:
                validate_phone(phone)
            except ValidationError as exc:
                error("主要负责人电话", exc.messages[0])
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
                principal_phone=phone,
            ),
            [],
        )
