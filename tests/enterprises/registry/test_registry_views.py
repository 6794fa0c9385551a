"""The registry's create and edit endpoints: who may, who may not, wrong methods, bad input,
and the audit trail an edit leaves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from safetyportal.audit.models import AuditEvent

CREATE_URL = reverse("enterprises:create")
NEW_USCC = "91440300708461136T"


def edit_url(enterprise):
    return reverse("enterprises:edit", args=[enterprise.pk])


def detail_url(enterprise):
    return reverse("enterprises:detail", args=[enterprise.pk])


def new_enterprise_data(county, **overrides):
    data = {
        "name": "澧县新登记机械有限公司",
        "uscc": NEW_USCC,
        "town": county.town.pk,
        "industry": county.industry_a.pk,
        "address": "小渡口镇工业园8号",
        "employee_count": 120,
        "scale": "medium",
        "is_high_risk": "on",
        "status": "operating",
        "legal_representative": "刘一",
        "principal_name": "刘一",
        "principal_phone": "13900000000",
    }
    data.update(overrides)
    return data


def edit_data(enterprise, **overrides):
    data = {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "town": enterprise.town_id,
        "industry": enterprise.industry_id,
        "address": enterprise.address,
        "employee_count": enterprise.employee_count,
        "scale": enterprise.scale,
        "status": enterprise.status,
        "legal_representative": enterprise.legal_representative,
        "principal_name": enterprise.principal_name,
        "principal_phone": enterprise.principal_phone,
    }
    if enterprise.is_high_risk:
        data["is_high_risk"] = "on"
    data.update(overrides)
    return data


def registry_state(enterprise):
    enterprise.refresh_from_db()
    return (
        enterprise.name,
        enterprise.uscc,
        enterprise.town_id,
        enterprise.employee_count,
        enterprise.updated_at,
    )


# --- create ------------------------------------------------------------------------------


def test_county_office_registers_an_enterprise(county, county_officer, client_for):
    client = client_for(county_officer)
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, new_enterprise_data(county))
    enterprise = Enterprise.objects.get(uscc=NEW_USCC)
    assert response.status_code == 302
    assert response.url == detail_url(enterprise)
    assert enterprise.town == county.town
    assert enterprise.is_high_risk
    event = AuditEvent.objects.for_object(enterprise).get()
    assert (event.verb, event.actor) == ("enterprise.registered", county_officer)
    assert event.payload["values"]["town"] == "小渡口镇"
    page = client.get(response.url)
    assert "已登记企业“澧县新登记机械有限公司”。" in page.content.decode()


def test_town_official_registers_an_enterprise_in_own_town(county, town_official, client_for):
    response = client_for(town_official).post(CREATE_URL, new_enterprise_data(county))
    assert response.status_code == 302
    assert Enterprise.objects.get(uscc=NEW_USCC).town == county.town


def test_town_official_cannot_register_an_enterprise_in_another_town(
    county, town_official, client_for
):
    data = new_enterprise_data(county, town=county.other_town.pk)
    response = client_for(town_official).post(CREATE_URL, data)
    # the town field is fixed to the official's own town; the posted value is ignored
    assert response.status_code == 302
    assert Enterprise.objects.get(uscc=NEW_USCC).town == county.town


@pytest.mark.parametrize(
    "persona", ["leader", "department_official", "enterprise_manager", "expert", "outsider"]
)
def test_other_roles_cannot_register_enterprises(persona, request, county, client_for):
    client = client_for(request.getfixturevalue(persona))
    count = Enterprise.objects.count()
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, new_enterprise_data(county)).status_code == 403
    assert Enterprise.objects.count() == count


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_create_refuses_other_methods(method, county_officer, client_for):
    assert getattr(client_for(county_officer), method)(CREATE_URL).status_code == 405


def test_anonymous_cannot_reach_the_create_form(client, county):
    response = client.post(CREATE_URL, new_enterprise_data(county))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"uscc": "91440300708461136A"}, "统一社会信用代码校验位错误"),
        ({"uscc": "9144030070846113"}, "统一社会信用代码应为18位，当前为16位。"),
        ({"employee_count": "-5"}, "确保该值大于或等于0。"),
        ({"name": ""}, "该字段是必填项。"),
    ],
)
def test_create_with_bad_input_shows_a_chinese_field_error_and_saves_nothing(
    overrides, message, county, county_officer, client_for
):
    count = Enterprise.objects.count()
    response = client_for(county_officer).post(CREATE_URL, new_enterprise_data(county, **overrides))
    assert response.status_code == 200
    field = next(iter(overrides))
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert "提交的信息有误" in response.content.decode()
    assert Enterprise.objects.count() == count


def test_create_with_an_already_registered_code_is_refused(county, county_officer, client_for):
    existing = county.ly_chem.uscc
    response = client_for(county_officer).post(
        CREATE_URL, new_enterprise_data(county, uscc=existing.lower())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == ["该统一社会信用代码已登记，请勿重复登记。"]
    assert Enterprise.objects.filter(uscc=existing).count() == 1


# --- edit --------------------------------------------------------------------------------


def test_county_office_edits_any_enterprise(county, county_officer, client_for):
    enterprise = county.ly_build
    client = client_for(county_officer)
    assert client.get(edit_url(enterprise)).status_code == 200
    response = client.post(edit_url(enterprise), edit_data(enterprise, address="澧阳街道新址9号"))
    assert response.status_code == 302
    assert response.url == detail_url(enterprise)
    enterprise.refresh_from_db()
    assert enterprise.address == "澧阳街道新址9号"


def test_county_office_moves_an_enterprise_to_another_town(county, county_officer, client_for):
    enterprise = county.xdk_build
    client_for(county_officer).post(
        edit_url(enterprise), edit_data(enterprise, town=county.other_town.pk)
    )
    enterprise.refresh_from_db()
    assert enterprise.town == county.other_town


def test_town_official_edits_own_towns_enterprise(county, town_official, client_for):
    enterprise = county.xdk_chem
    response = client_for(town_official).post(
        edit_url(enterprise), edit_data(enterprise, employee_count=88)
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.employee_count == 88


def test_town_official_cannot_edit_another_towns_enterprise(county, town_official, client_for):
    enterprise = county.ly_chem
    before = registry_state(enterprise)
    client = client_for(town_official)
    assert client.get(edit_url(enterprise)).status_code == 404
    response = client.post(edit_url(enterprise), edit_data(enterprise, name="被篡改的名称"))
    assert response.status_code == 404
    assert registry_state(enterprise) == before


def test_town_official_cannot_move_an_enterprise_to_another_town(county, town_official, client_for):
    enterprise = county.xdk_chem
    response = client_for(town_official).post(
        edit_url(enterprise), edit_data(enterprise, town=county.other_town.pk, employee_count=77)
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.town == county.town  # the town field is disabled for town officials
    assert enterprise.employee_count == 77


def test_update_service_refuses_a_town_official_moving_an_enterprise(county, town_official):
    from django.core.exceptions import PermissionDenied

    from enterprises.registry.services import update_enterprise

    before = registry_state(county.xdk_chem)
    with pytest.raises(PermissionDenied):
        update_enterprise(actor=town_official, enterprise=county.xdk_chem, town=county.other_town)
    assert registry_state(county.xdk_chem) == before
    assert not AuditEvent.objects.filter(verb="enterprise.updated").exists()


@pytest.mark.parametrize(
    ("persona", "enterprise_key"),
    [
        ("leader", "xdk_chem"),
        ("department_official", "xdk_chem"),
        ("enterprise_manager", "xdk_build"),
        ("expert", "ly_build"),
    ],
)
def test_roles_that_see_but_may_not_edit_get_403(
    persona, enterprise_key, request, county, client_for
):
    enterprise = getattr(county, enterprise_key)
    before = registry_state(enterprise)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail_url(enterprise)).status_code == 200
    assert "修改登记信息" not in client.get(detail_url(enterprise)).content.decode()
    assert client.get(edit_url(enterprise)).status_code == 403
    assert client.post(edit_url(enterprise), edit_data(enterprise, name="改名")).status_code == 403
    assert registry_state(enterprise) == before


def test_outsider_gets_404_for_the_edit_page(county, outsider, client_for):
    assert client_for(outsider).get(edit_url(county.xdk_chem)).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_edit_refuses_other_methods(method, county, county_officer, client_for):
    before = registry_state(county.xdk_chem)
    response = getattr(client_for(county_officer), method)(edit_url(county.xdk_chem))
    assert response.status_code == 405
    assert registry_state(county.xdk_chem) == before


@pytest.mark.parametrize("method", ["put", "delete", "post"])
def test_detail_page_refuses_other_methods(method, county, county_officer, client_for):
    response = getattr(client_for(county_officer), method)(detail_url(county.xdk_chem))
    assert response.status_code == 405
    assert Enterprise.objects.filter(pk=county.xdk_chem.pk).exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_enterprise_api_is_read_only(method, county, county_officer, api_client_for):
    client = api_client_for(county_officer)
    url = (
        "/api/v1/enterprises/" if method == "post" else f"/api/v1/enterprises/{county.xdk_chem.pk}/"
    )
    before = registry_state(county.xdk_chem)
    response = getattr(client, method)(url, {"name": "改名"}, format="json")
    assert response.status_code == 405
    assert registry_state(county.xdk_chem) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"uscc": "91440300708461136A"}, "统一社会信用代码校验位错误"),
        ({"uscc": "91440300708461136TT"}, "不超过 18 字符"),
        ({"employee_count": "-1"}, "确保该值大于或等于0。"),
        ({"employee_count": "很多"}, "输入整数。"),
    ],
)
def test_edit_with_bad_input_shows_a_chinese_field_error_and_changes_nothing(
    overrides, message, county, county_officer, client_for
):
    enterprise = county.xdk_chem
    before = registry_state(enterprise)
    response = client_for(county_officer).post(
        edit_url(enterprise), edit_data(enterprise, **overrides)
    )
    assert response.status_code == 200
    field = next(iter(overrides))
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert registry_state(enterprise) == before
    assert not AuditEvent.objects.filter(verb="enterprise.updated").exists()


def test_edit_to_another_enterprises_code_is_refused(county, county_officer, client_for):
    enterprise = county.xdk_chem
    before = registry_state(enterprise)
    response = client_for(county_officer).post(
        edit_url(enterprise), edit_data(enterprise, uscc=county.ly_chem.uscc)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == ["该统一社会信用代码已登记，请勿重复登记。"]
    assert registry_state(enterprise) == before


def test_edit_keeping_its_own_code_is_not_a_duplicate(county, county_officer, client_for):
    enterprise = county.xdk_chem
    response = client_for(county_officer).post(
        edit_url(enterprise), edit_data(enterprise, uscc=enterprise.uscc.lower(), address="新地址")
    )
    assert response.status_code == 302


# --- the audit trail of an edit ------------------------------------------------------------


def test_edit_writes_an_audit_event_with_the_changed_fields(county, county_officer, client_for):
    enterprise = county.xdk_chem
    old_name = enterprise.name
    client_for(county_officer).post(
        edit_url(enterprise),
        edit_data(enterprise, name="小渡口精细化工有限公司", employee_count=35, status="suspended"),
    )
    event = AuditEvent.objects.get(verb="enterprise.updated")
    assert event.actor == county_officer
    assert event.target_id == enterprise.pk
    assert event.target_repr == "小渡口精细化工有限公司"
    assert event.payload["changes"] == {
        "name": [old_name, "小渡口精细化工有限公司"],
        "employee_count": [20, 35],
        "status": ["在营", "停产整顿"],
    }


def test_edit_without_changes_writes_no_audit_event(county, county_officer, client_for):
    response = client_for(county_officer).post(
        edit_url(county.xdk_chem), edit_data(county.xdk_chem)
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="enterprise.updated").exists()


def test_detail_page_shows_the_edit_history_in_chinese(county, town_official, client_for):
    enterprise = county.xdk_chem
    client = client_for(town_official)
    client.post(edit_url(enterprise), edit_data(enterprise, employee_count=64, is_high_risk=""))
    response = client.get(detail_url(enterprise))
    html = response.content.decode()
    assert "操作记录" in html
    assert "孙镇长（小渡口镇）" in html
    assert "修改了企业信息" in html
    assert "从业人员数：20 → 64" in html
    assert "高危企业：是 → 否" in html
    assert "enterprise.updated" not in html
    assert "企业信息已保存。" in html
