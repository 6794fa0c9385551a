"""Excel import (all or nothing, row-by-row errors, 5,000 rows) and export."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enterprises.importing import jobs as import_jobs
from enterprises.importing import rows as import_rows
from enterprises.models import Enterprise, ImportJob, ImportStatus
from safetyportal.audit.models import AuditEvent
from tests.factories import valid_uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def row(n: int, **overrides) -> list:
    values = {
        "name": f"导入测试企业{n}",
        "uscc": valid_uscc(700000 + n),
        "town": "小渡口镇",
        "industry": "建筑施工",
        "address": f"澧县导入路{n}号",
        "employee_count": 20,
        "scale": "小型",
        "is_high_risk": "否",
        "status": "在营",
        "legal_representative": "张三",
        "principal_name": "李四",
        "principal_phone": "13800000000",
    }
    values.update(overrides)
    return [values[c.field] for c in import_rows.COLUMNS]


def workbook_bytes(rows, header=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    sheet.append(header or import_rows.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="名录.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def run_upload(client, content, django_capture_on_commit_callbacks, name="名录.xlsx"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:import"), {"file": upload(content, name)})
    return response


def test_clean_file_imports_every_row_in_one_audited_job(
    county, county_officer, client_for, django_capture_on_commit_callbacks
):
    content = workbook_bytes(
        [row(1), row(2, town="澧阳街道", industry="危险化学品", is_high_risk="")]
    )
    response = run_upload(client_for(county_officer), content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.url == reverse("enterprises:import_job", args=[job.pk])
    assert job.status == ImportStatus.DONE and job.created_count == 2
    second = Enterprise.objects.get(name="导入测试企业2")
    assert second.town == county.other_town
    assert second.is_high_risk  # blank flag follows the industry
    event = AuditEvent.objects.get(verb="enterprise.imported")
    assert event.payload == {"file": "名录.xlsx", "count": 2}
    page = client_for(county_officer).get(response.url).content.decode()
    assert "已导入 2 家企业" in page


def test_file_with_bad_rows_saves_nothing_and_reports_each_error_with_its_row(
    county, county_officer, client_for, django_capture_on_commit_callbacks
):
    existing = county.xdk_chem.uscc
    bad_check = valid_uscc(700005)[:17] + ("0" if valid_uscc(700005)[17] != "0" else "1")
    rows = [
        row(1),  # row 2: fine
        row(2, name=""),  # row 3: required
        row(3, uscc=bad_check),  # row 4: check character
        row(4, town="火星镇"),  # row 5: unknown town
        row(5, industry="太空采矿"),  # row 6: unknown industry
        row(6, uscc=valid_uscc(700001)),  # row 7: duplicate of row 2
        row(7, uscc=existing),  # row 8: already registered
        row(8, employee_count="很多"),  # row 9: not a number
    ]
    run_upload(client_for(county_officer), workbook_bytes(rows), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert Enterprise.objects.count() == 4  # the county fixture's, nothing imported
    by_row = {e["row"]: e["message"] for e in job.errors}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9}
    assert "不能为空" in by_row[3]
    assert "校验位错误" in by_row[4]
    assert "火星镇" in by_row[5]
    assert "太空采矿" in by_row[6]
    assert "第2行" in by_row[7]
    assert "已在企业名录中登记" in by_row[8]
    assert "非负整数" in by_row[9]
    assert not AuditEvent.objects.filter(verb="enterprise.imported").exists()
    page = (
        client_for(county_officer)
        .get(reverse("enterprises:import_job", args=[job.pk]))
        .content.decode()
    )
    assert "未导入任何数据" in page and "火星镇" in page


def test_wrong_header_is_reported_before_any_row(
    county, county_officer, client_for, django_capture_on_commit_callbacks
):
    content = workbook_bytes([row(1)], header=["名称", "代码"])
    run_upload(client_for(county_officer), content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "表头与模板不一致" in job.errors[0]["message"]


def test_non_excel_upload_is_refused_by_content(county, county_officer, client_for):
    response = client_for(county_officer).post(
        reverse("enterprises:import"), {"file": upload(b"name,uscc\n", "名录.xlsx")}
    )
    assert response.status_code == 200
    assert "不是允许的类型" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_town_official_can_import_only_their_own_towns_enterprises(
    county, town_official, client_for, django_capture_on_commit_callbacks
):
    content = workbook_bytes([row(1), row(2, town="澧阳街道")])
    run_upload(client_for(town_official), content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"row": 3, "column": "所在镇街", "message": "镇街只能导入本镇街的企业。"}]


@pytest.mark.parametrize("persona", ["department_official", "enterprise_manager", "leader"])
def test_other_roles_cannot_import(persona, request, county, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("enterprises:import")).status_code == 403
    assert (
        client.post(
            reverse("enterprises:import"), {"file": upload(workbook_bytes([row(1)]))}
        ).status_code
        == 403
    )
    assert client.get(reverse("enterprises:import_template")).status_code == 403


def test_import_page_rejects_other_methods(county, county_officer, client_for):
    assert client_for(county_officer).put(reverse("enterprises:import")).status_code == 405


def test_job_page_is_only_for_its_owner(
    county, county_officer, town_official, client_for, django_capture_on_commit_callbacks
):
    run_upload(
        client_for(county_officer), workbook_bytes([row(1)]), django_capture_on_commit_callbacks
    )
    url = reverse("enterprises:import_job", args=[ImportJob.objects.get().pk])
    assert client_for(town_official).get(url).status_code == 404


def test_progress_partial_is_served_to_htmx(
    county, county_officer, client_for, django_capture_on_commit_callbacks
):
    run_upload(
        client_for(county_officer), workbook_bytes([row(1)]), django_capture_on_commit_callbacks
    )
    url = reverse("enterprises:import_job", args=[ImportJob.objects.get().pk])
    html = client_for(county_officer).get(url, headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<div id="import-progress"')
    assert "100%" in html


def test_running_the_task_twice_imports_once(
    county, county_officer, client_for, django_capture_on_commit_callbacks
):
    run_upload(
        client_for(county_officer), workbook_bytes([row(1)]), django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    assert import_jobs.run_import_job(job_id=job.pk) == "already claimed"
    assert Enterprise.objects.filter(name="导入测试企业1").count() == 1


def test_template_has_drop_down_lists_and_no_example_row(county, county_officer, client_for):
    response = client_for(county_officer).get(reverse("enterprises:import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["企业名录"]
    assert [c.value for c in sheet[1]] == import_rows.HEADERS
    assert sheet.max_row == 1  # nothing to delete before filling it in
    assert import_rows.read_rows(io.BytesIO(response.content)) == []
    assert sheet.freeze_panes == "A2"
    choices = workbook[import_rows.CHOICES_SHEET]
    assert choices.sheet_state == "hidden"
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        header = sheet[f"{column}1"].value
        ref = validation.formula1.split("!")[1].replace("$", "")
        lists[header] = [c.value for row in choices[ref] for c in row]
        assert validation.type == "list" and validation.showErrorMessage
    assert sorted(lists["所在镇街"]) == sorted(["小渡口镇", "澧阳街道"])
    assert set(lists["行业领域"]) == {county.industry_a.name, county.industry_b.name}
    assert lists["规模"] == ["大型", "中型", "小型", "微型"]
    assert lists["高危企业"] == ["是", "否"]
    assert lists["经营状态"] == ["在营", "停产整顿", "关闭"]
    # a row made only of the offered choices passes the importer
    picked = row(1, town=lists["所在镇街"][0], industry=lists["行业领域"][0])
    rows = import_rows.read_rows(io.BytesIO(workbook_bytes([picked])))
    enterprises, errors = import_rows.RowValidator(actor=county_officer).validate(rows)
    assert errors == [] and len(enterprises) == 1


def test_template_offers_a_town_official_their_own_town_only(county, town_official, client_for):
    response = client_for(town_official).get(reverse("enterprises:import_template"))
    choices = load_workbook(io.BytesIO(response.content))[import_rows.CHOICES_SHEET]
    assert [c.value for c in choices["A"] if c.value] == ["小渡口镇"]


@pytest.mark.parametrize("town", ["小渡口", "小渡口 镇", "澧县小渡口镇"])
def test_import_rejects_a_town_name_that_is_not_a_full_name(county, county_officer, town):
    county.town.short_name = "小渡口"
    county.town.save(update_fields=["short_name"])
    rows = import_rows.read_rows(io.BytesIO(workbook_bytes([row(1, town=town)])))
    enterprises, errors = import_rows.RowValidator(actor=county_officer).validate(rows)
    assert enterprises == []
    assert [(e.row, e.column) for e in errors] == [(2, "所在镇街")]
    assert "小渡口镇" in errors[0].message


@pytest.mark.parametrize("phone", ["1234567", "12800000000", "138000000001", "0736-12", "电话"])
def test_import_rejects_an_invalid_phone_number(county, county_officer, phone):
    rows = import_rows.read_rows(io.BytesIO(workbook_bytes([row(1, principal_phone=phone)])))
    enterprises, errors = import_rows.RowValidator(actor=county_officer).validate(rows)
    assert enterprises == []
    assert [(e.row, e.column) for e in errors] == [(2, "主要负责人电话")]


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("13912345678", "13912345678"),
        (13912345678, "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("0736-1234567", "0736-1234567"),
        ("07363221234", "07363221234"),
        ("010-12345678", "010-12345678"),
        ("", ""),
    ],
)
def test_import_accepts_mobile_and_landline_numbers(county, county_officer, phone, stored):
    rows = import_rows.read_rows(io.BytesIO(workbook_bytes([row(1, principal_phone=phone)])))
    enterprises, errors = import_rows.RowValidator(actor=county_officer).validate(rows)
    assert errors == []
    assert enterprises[0].principal_phone == stored


def test_registry_form_rejects_an_invalid_phone_number(county, county_officer, client_for):
    enterprise = county.xdk_build
    response = client_for(county_officer).post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "town": enterprise.town_id,
            "industry": enterprise.industry_id,
            "address": "澧县某路1号",
            "employee_count": 10,
            "scale": "small",
            "status": "operating",
            "legal_representative": "张三",
            "principal_name": "李四",
            "principal_phone": "1234567",
        },
    )
    assert response.status_code == 200
    assert "电话号码“1234567”无效" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.principal_phone != "1234567"


def test_failed_import_shows_a_red_bar_and_a_finished_one_a_green_bar(
    county, county_officer, client_for, django_capture_on_commit_callbacks
):
    client = client_for(county_officer)
    run_upload(client, workbook_bytes([row(1, town="小渡口")]), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    page = client.get(reverse("enterprises:import_job", args=[job.pk])).content.decode()
    before, after = page.split('data-testid="import-bar"')
    assert "bg-danger" in before.rsplit("<div", 1)[1]
    assert "100%" not in after.split("</div>")[0]
    run_upload(client, workbook_bytes([row(2)]), django_capture_on_commit_callbacks)
    done = ImportJob.objects.get(status=ImportStatus.DONE)
    page = client.get(reverse("enterprises:import_job", args=[done.pk])).content.decode()
    assert "bg-success" in page.split('data-testid="import-bar"')[0].rsplit("<div", 1)[1]


def test_five_thousand_rows_validate_and_save_quickly(county, county_officer):
    content = workbook_bytes([row(n) for n in range(5000)])
    started = time.perf_counter()
    rows = import_rows.read_rows(io.BytesIO(content))
    enterprises, errors = import_rows.RowValidator(actor=county_officer).validate(rows)
    job = ImportJob.objects.create(
        original_name="5000.xlsx", created_by=county_officer, file="x.xlsx"
    )
    import_jobs.save_enterprises(actor=county_officer, job=job, enterprises=enterprises)
    elapsed = time.perf_counter() - started
    assert errors == []
    assert Enterprise.objects.filter(name__startswith="导入测试企业").count() == 5000
    print(f"5,000-row import: {elapsed:.2f} s")
    assert elapsed < 30


def test_export_uses_the_list_filters_and_scope(county, town_official, client_for):
    response = client_for(town_official).get(
        reverse("enterprises:export") + f"?industry={county.industry_a.pk}"
    )
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["小渡口化工有限公司"]


def test_exported_file_can_be_imported_back(county, county_officer, client_for):
    content = client_for(county_officer).get(reverse("enterprises:export")).content
    rows = import_rows.read_rows(io.BytesIO(content))
    assert len(rows) == 4
    _, errors = import_rows.RowValidator(actor=county_officer).validate(rows)
    assert {e.message for e in errors} == {
        f"统一社会信用代码{e.uscc}已在企业名录中登记。" for e in Enterprise.objects.all()
    }


def test_export_queries_do_not_grow(
    county, county_officer, client_for, django_assert_max_num_queries
):
    from tests.factories import EnterpriseFactory

    client = client_for(county_officer)
    client.get(reverse("enterprises:export"))
    EnterpriseFactory.create_batch(30, town=county.town, industry=county.industry_b)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("enterprises:export")).status_code == 200


@pytest.mark.parametrize(
    ("value", "message"),
    [("inf", "非负整数"), ("1e400", "非负整数"), (3000000000, "应在0到1000000之间")],
)
def test_out_of_range_employee_count_is_a_row_error(
    value, message, county, county_officer, client_for, django_capture_on_commit_callbacks
):
    content = workbook_bytes([row(1), row(2, employee_count=value)])
    run_upload(client_for(county_officer), content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "从业人员数")]
    assert message in job.errors[0]["message"]
    assert not Enterprise.objects.filter(name__startswith="导入测试企业").exists()


def test_a_registration_between_check_and_save_fails_the_job_and_saves_nothing(
    county,
    county_officer,
    client_for,
    django_capture_on_commit_callbacks,
    monkeypatch,
    caplog,
):
    from tests.factories import EnterpriseFactory

    checked = import_rows.RowValidator.validate

    def validate_then_someone_registers(self, rows, progress=None):
        result = checked(self, rows, progress)
        EnterpriseFactory(name="同时登记的企业", uscc=valid_uscc(700002), town=county.town)
        return result

    monkeypatch.setattr(import_rows.RowValidator, "validate", validate_then_someone_registers)
    content = workbook_bytes([row(1), row(2)])
    run_upload(client_for(county_officer), content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert not Enterprise.objects.filter(name__startswith="导入测试企业").exists()
    assert not AuditEvent.objects.filter(verb="enterprise.imported").exists()
    page = (
        client_for(county_officer)
        .get(reverse("enterprises:import_job", args=[job.pk]))
        .content.decode()
    )
    assert "数据库拒绝了这批数据" in page and "未导入任何数据" in page


def test_the_import_task_acknowledges_late():
    from enterprises.tasks import run_registry_import

    assert run_registry_import.acks_late is True


def test_export_keeps_formulas_as_text(county, county_officer, client_for):
    county.xdk_build.name = '=HYPERLINK("http://evil.example","点击")'
    county.xdk_build.principal_name = "@SUM(1+1)"
    county.xdk_build.save()
    response = client_for(county_officer).get(reverse("enterprises:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert '\'=HYPERLINK("http://evil.example","点击")' in values and "'@SUM(1+1)" in values


def test_export_has_widths_a_frozen_header_and_an_auto_filter(county, county_officer, client_for):
    response = client_for(county_officer).get(reverse("enterprises:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"
    assert sheet.max_row == 5  # the header and the four enterprises
    assert sheet["A1"].font.b
    # shown that many characters wide (the file stores Excel's padding)
    assert int(sheet.column_dimensions["A"].width) == import_rows.WIDTHS[0]
    assert int(sheet.column_dimensions["L"].width) == import_rows.WIDTHS[-1]


def test_export_rows_follow_the_list_order_with_every_column(county, county_officer, client_for):
    from enterprises.registry.models import EnterpriseScale, EnterpriseStatus

    response = client_for(county_officer).get(reverse("enterprises:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == import_rows.HEADERS
    listed = list(Enterprise.objects.order_by("name", "id"))  # the list's order
    assert [r[1] for r in rows[1:]] == [e.uscc for e in listed]
    first = listed[0]
    assert list(rows[1]) == [
        first.name,
        first.uscc,
        first.town.name,
        first.industry.name,
        first.address,
        first.employee_count,
        str(EnterpriseScale(first.scale).label),
        "是" if first.is_high_risk else "否",
        str(EnterpriseStatus(first.status).label),
        first.legal_representative,
        first.principal_name,
        first.principal_phone or None,
    ]


def import_queries(county_officer, count: int, start: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    content = workbook_bytes([row(start + n) for n in range(count)])
    job = ImportJob.objects.create(
        original_name="名录.xlsx", created_by=county_officer, file=upload(content)
    )
    with CaptureQueriesContext(connection) as queries:
        assert import_jobs.run_import_job(job_id=job.pk) == "done"
    assert Enterprise.objects.filter(name__startswith="导入测试企业").count() >= count
    return len(queries.captured_queries)


def test_import_queries_do_not_grow_with_the_rows(county, county_officer):
    """Reference data once, one uniqueness lookup, inserts in chunks of BATCH_SIZE,
    progress every PROGRESS_EVERY rows: the same count for 10 rows as for 400."""
    import_queries(county_officer, 1, start=5000)  # warm up: content types
    small = import_queries(county_officer, 10, start=0)
    assert import_queries(county_officer, 400, start=1000) == small
