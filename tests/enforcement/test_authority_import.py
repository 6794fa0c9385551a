"""The catalogue's Excel import (page and command), the shipped fixtures, the demo's legal
frame and the read-only API."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enforcement.authority import importing
from enforcement.authority.demo import load_authority_demo
from enforcement.authority.models import DelegatedItem, OfficerCertificate, TownAuthorisation
from enforcement.authority.selectors import valid_certificates
from responsibilities.models import Organisation
from safetyportal.accounts.models import Role, User
from safetyportal.accounts.services import create_portal_user
from safetyportal.audit.models import AuditEvent
from tests.enforcement.factories import days

IMPORT = reverse("enforcement:authority_item_import")
TEMPLATE = reverse("enforcement:authority_item_template")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, header=None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header or importing.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("items.xlsx", buffer.getvalue(), content_type=XLSX)


def row(code="LX-1", name="未设置安全警示标志", dept="YJJ", low=None, high=50000, **changes):
    values = [
        code,
        name,
        dept,
        "安全生产法第三十五条",
        "安全生产法第九十九条",
        "否",
        low,
        high,
        "是",
        "是",
    ]
    for index, value in changes.items():
        values[int(index[1:])] = value
    return values


def test_the_template_has_the_import_header(client_for, county_officer, county):
    response = client_for(county_officer).get(TEMPLATE)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == importing.COLUMNS


def test_a_clean_file_is_previewed_then_imported_and_reimporting_updates(
    client_for, county_officer, county
):
    client = client_for(county_officer)
    assert client.get(IMPORT).status_code == 200
    rows = [row(), row(code="LX-2", name="未提供劳动防护用品")]
    response = client.post(IMPORT, {"file": workbook(rows), "action": "preview"})
    text = response.content.decode()
    assert "检查通过：共 2 项" in text and "新增" in text
    assert not DelegatedItem.objects.exists()
    response = client.post(IMPORT, {"file": workbook(rows), "action": "import"})
    assert response.status_code == 302
    assert DelegatedItem.objects.count() == 2
    item = DelegatedItem.objects.get(code="LX-1")
    assert item.delegating_department == county.department and item.max_fine == 50000
    assert item.min_fine is None and item.allows_simple and not item.allows_warning
    # the same codes again, one changed: updated, not duplicated
    rows[0] = row(high=30000)
    client.post(IMPORT, {"file": workbook(rows), "action": "import"})
    assert DelegatedItem.objects.count() == 2
    assert DelegatedItem.objects.get(code="LX-1").max_fine == 30000
    assert AuditEvent.objects.filter(verb="delegated_item.imported").count() == 3


def test_a_file_with_bad_rows_imports_nothing_and_says_which_row_and_why(
    client_for, county_officer, county
):
    rows = [
        row(),
        row(code="", c1=""),
        row(code="LX-3", dept="nope"),
        row(code="LX-4", low=900, high=100),
        row(code="LX-1"),
        row(code="LX-6", c5="也许"),
        row(code="LX-7", high="五万"),
    ]
    response = client_for(county_officer).post(IMPORT, {"file": workbook(rows), "action": "import"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何事项" in text
    assert "第 3 行：“事项编码”不能为空" in text and "“事项名称”不能为空" in text
    assert "第 4 行：委托机关代码“nope”不是县直部门的代码" in text
    assert "第 5 行：罚款下限不能高于罚款上限" in text
    assert "第 6 行：事项编码 LX-1 与第 2 行重复" in text
    assert "第 7 行：“可予警告”请填“是”或“否”" in text
    assert "第 8 行：“罚款上限（元）”必须是数字" in text
    assert not DelegatedItem.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("items.csv", b"a,b", content_type="text/csv"), "请上传 .xlsx 格式"),
        (SimpleUploadedFile("items.xlsx", b"not a zip", content_type=XLSX), "无法读取该文件"),
        (None, "第一行必须是模板的表头"),
    ],
)
def test_a_wrong_file_is_refused_in_chinese(client_for, county_officer, county, upload, message):
    upload = upload or workbook([row()], header=["编码", "名称"])
    response = client_for(county_officer).post(IMPORT, {"file": upload, "action": "import"})
    assert message in response.content.decode()
    assert not DelegatedItem.objects.exists()


def test_a_file_longer_than_the_cap_is_refused(client_for, county_officer, county):
    rows = [row(code=f"LX-{n}") for n in range(importing.MAX_ROWS + 1)]
    response = client_for(county_officer).post(IMPORT, {"file": workbook(rows), "action": "import"})
    assert response.status_code == 200
    assert not DelegatedItem.objects.exists()


@pytest.mark.parametrize(
    "persona", ["town_official", "department_official", "leader", "enterprise_manager"]
)
def test_only_the_county_office_imports(request, persona, client_for, county):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert client.post(IMPORT, {"file": workbook([row()]), "action": "import"}).status_code == 403
    assert not DelegatedItem.objects.exists()


def test_the_import_page_refuses_other_methods(client_for, county_officer, county):
    client = client_for(county_officer)
    assert client.put(IMPORT).status_code == 405
    assert client.post(TEMPLATE).status_code == 405


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


def test_the_shipped_full_list_has_119_items_including_the_30_representative(reference_data):
    representative = json.loads((FIXTURES / "delegated_items.json").read_text(encoding="utf-8"))
    assert len(representative) == 30
    with open(FIXTURES / "delegated_items_full.xlsx", "rb") as handle:
        parsed = importing.parse_workbook(handle)
    assert parsed.errors == []
    assert len(parsed.rows) == 119
    by_code = {r["code"]: r for r in parsed.rows}
    for item in representative:
        assert by_code[item["code"]]["name"] == item["name"]
    # realistic: an item whose fines all exceed the 3,000 yuan cap and which has no
    # warning is not handled on the spot
    for r in parsed.rows:
        if not r["allows_warning"] and r["min_fine"] is not None and r["min_fine"] > 3000:
            assert not r["allows_simple"], r["code"]


def test_the_command_imports_the_full_list_and_is_idempotent(reference_data, capsys):
    # load_reference_data loaded the representative 30 (enforcement/reference.py)
    assert DelegatedItem.objects.count() == 30
    call_command("import_delegated_items", str(FIXTURES / "delegated_items_full.xlsx"))
    assert DelegatedItem.objects.count() == 119
    assert "新增 89 项" in capsys.readouterr().out
    call_command("import_delegated_items", str(FIXTURES / "delegated_items_full.xlsx"))
    assert DelegatedItem.objects.count() == 119
    assert "新增 0 项，更新 0 项" in capsys.readouterr().out


def test_the_command_refuses_a_bad_file_with_the_rows(reference_data, tmp_path):
    before = set(DelegatedItem.objects.values_list("pk", "name"))
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([row(dept="nope")]).read())
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_delegated_items", str(path))
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_delegated_items", str(tmp_path / "missing.xlsx"))
    assert set(DelegatedItem.objects.values_list("pk", "name")) == before


def test_the_demo_frame_has_119_items_19_delegations_and_22_certified_officers(reference_data):
    for username, role, code in (
        ("town_xdk", Role.TOWN, "430723102"),
        ("town_lyj", Role.TOWN, "430723002"),
        ("dept_yjj", Role.DEPARTMENT, "dept-yjj"),
    ):
        create_portal_user(
            actor=None,
            username=username,
            password=None,
            role=role,
            organisation=Organisation.objects.get(code=code),
        )
    out = io.StringIO()
    load_authority_demo(out)
    assert DelegatedItem.objects.active().count() == 119
    authorisations = TownAuthorisation.objects.all()
    assert authorisations.count() == 19
    assert all(a.items.count() == 119 for a in authorisations)
    general = set(
        Organisation.objects.filter(general_procedure_authorised=True).values_list(
            "code", flat=True
        )
    )
    assert general == {"430723102", "430723118"}
    today = days(0)
    officer_ids = set(valid_certificates(today).values_list("officer_id", flat=True))
    assert len(officer_ids) == 22
    towns_with_officers = set(
        User.objects.filter(
            pk__in=officer_ids, organisation__kind__in=["town", "subdistrict"]
        ).values_list("organisation__code", flat=True)
    )
    assert len(towns_with_officers) == 19
    for code in ("430723102", "430723118"):
        assert User.objects.filter(pk__in=officer_ids, organisation__code=code).count() >= 2
    assert "持证执法人员 22 人" in out.getvalue()
    # a second run adds nothing
    load_authority_demo(io.StringIO())
    assert TownAuthorisation.objects.count() == 19
    assert OfficerCertificate.objects.count() == 22


# --- API -----------------------------------------------------------------------------------


def test_the_api_lists_items_to_officials_only(
    powers, api_client_for, county_officer, town_official, enterprise_manager
):
    response = api_client_for(town_official).get("/api/v1/enforcement/items/")
    assert response.status_code == 200
    codes = [i["code"] for i in response.json()["results"]]
    assert codes == ["WT-001", "WT-002", "WT-099"]
    detail = api_client_for(county_officer).get(f"/api/v1/enforcement/items/{powers.fine_item.pk}/")
    assert detail.json()["delegating_department_code"] == "YJJ"
    assert api_client_for(enterprise_manager).get("/api/v1/enforcement/items/").status_code == 403
    assert (
        api_client_for(enterprise_manager)
        .get(f"/api/v1/enforcement/items/{powers.fine_item.pk}/")
        .status_code
        == 404
    )


def test_the_api_lists_delegations_in_each_roles_scope(
    powers, api_client_for, county_officer, town_official, enterprise_manager
):
    rows = (
        api_client_for(county_officer).get("/api/v1/enforcement/authorisations/").json()["results"]
    )
    assert len(rows) == 2
    rows = (
        api_client_for(town_official).get("/api/v1/enforcement/authorisations/").json()["results"]
    )
    assert [r["town_name"] for r in rows] == ["小渡口镇"]
    assert rows[0]["items"] == ["WT-001", "WT-002"] and rows[0]["procedure_level"] == "general"
    other = powers.simple_authorisation.pk
    assert (
        api_client_for(town_official)
        .get(f"/api/v1/enforcement/authorisations/{other}/")
        .status_code
        == 404
    )
    assert (
        api_client_for(enterprise_manager).get("/api/v1/enforcement/authorisations/").status_code
        == 403
    )


def test_the_api_is_read_only(powers, api_client_for, county_officer):
    client = api_client_for(county_officer)
    assert client.post("/api/v1/enforcement/items/", {}).status_code == 405
    assert (
        client.delete(
            f"/api/v1/enforcement/authorisations/{powers.general_authorisation.pk}/"
        ).status_code
        == 405
    )


def test_the_delegation_api_costs_the_same_queries_with_more_rows(
    county, powers, api_client_for, department_official, django_assert_max_num_queries
):
    from tests.enforcement.factories import DelegatedItemFactory, TownAuthorisationFactory
    from tests.factories import OrganisationFactory

    client = api_client_for(department_official)
    client.get("/api/v1/enforcement/authorisations/")
    with django_assert_max_num_queries(20) as small:
        assert client.get("/api/v1/enforcement/authorisations/").status_code == 200
    items = [DelegatedItemFactory(delegating_department=county.department) for _ in range(10)]
    for n in range(10):
        TownAuthorisationFactory(town=OrganisationFactory(code=f"43078{n:04d}"), items=items)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/enforcement/authorisations/")
    assert len(response.json()["results"]) == 12
