"""The API: the same steps, permissions and refusals as the pages."""

from __future__ import annotations

import pytest

from hazards.models import Hazard, HazardStatus
from tests.hazards.conftest import days

S = HazardStatus


def post(client, hazard, step, data=None):
    return client.post(f"/api/v1/hazards/{hazard.pk}/{step}/", data or {}, format="json")


def test_major_hazard_walks_to_closure_through_the_api(
    api_client_for, county, county_officer, enterprise_manager, town_official
):
    office = api_client_for(county_officer)
    company = api_client_for(enterprise_manager)
    town = api_client_for(town_official)
    created = company.post(
        "/api/v1/hazards/",
        {
            "enterprise": county.xdk_build.pk,
            "source": "self_check",
            "description": "深基坑支护变形",
            "location": "2号基坑",
            "deadline": days(10).isoformat(),
            "responsible_person": "周经理",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    hazard = Hazard.objects.get(pk=created.json()["id"])
    response = post(
        office,
        hazard,
        "determine",
        {
            "list_number": "API-1",
            "determined_on": days(0).isoformat(),
            "determination_basis": "县安委办专题会议",
            "is_supervised": True,
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["hazard_class"] == "major"
    response = post(
        office,
        hazard,
        "assign",
        {
            "slip_number": "API-JB-1",
            "responsible_unit": county.xdk_build.name,
            "supervising_unit": county.other_department.pk,
            "deadline": days(40).isoformat(),
            "responsible_person": "周经理",
            "measures": "加固支护",
            "funds_amount": "30.00",
            "funds_source": "企业自筹",
            "contingency_measures": "撤离基坑周边人员",
        },
    )
    assert response.status_code == 200, response.json()
    response = post(
        company,
        hazard,
        "progress",
        {"entry_date": days(0).isoformat(), "percent": 50, "note": "完成一半"},
    )
    assert response.status_code == 200
    assert post(company, hazard, "submit", {"note": "申请销号"}).status_code == 200
    response = post(town, hazard, "verify", {"passed": False, "opinion": "监测数据未达标"})
    assert response.json()["status"] == S.RECTIFYING
    assert post(company, hazard, "submit", {"note": "再次申请"}).status_code == 200
    response = post(company, hazard, "verify", {"passed": True, "opinion": "自己验收"})
    assert response.status_code == 403
    assert "企业不能核查" in response.json()["detail"]
    response = post(office, hazard, "verify", {"passed": True, "opinion": "同意销号"})
    assert response.status_code == 200
    assert response.json()["status"] == S.CLOSED
    listing = office.get("/api/v1/major-hazards/").json()["results"]
    assert [(row["list_number"], row["status"]) for row in listing] == [("API-1", "closed")]
    progress = company.get("/api/v1/hazard-progress/").json()["results"]
    assert [row["percent"] for row in progress] == [50]


def test_api_step_wrong_method_forbidden_and_bad_input(
    api_client_for, hazard, town_official, other_town_official, leader
):
    client = api_client_for(town_official)
    url = f"/api/v1/hazards/{hazard.pk}/start/"
    assert client.get(url).status_code == 405
    assert api_client_for(other_town_official).post(url).status_code == 404
    response = api_client_for(leader).post(url)
    assert response.status_code == 403
    assert "只能查看" in response.json()["detail"]
    response = post(client, hazard, "verify", {"passed": True, "opinion": "x"})
    assert response.status_code == 409
    assert "不能执行" in response.json()["detail"]
    response = post(client, hazard, "progress", {"entry_date": "昨天", "percent": 500})
    assert response.status_code == 400
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED
    assert client.post(url).status_code == 200


def test_api_requires_authentication(client, hazard):
    assert client.get("/api/v1/hazards/").status_code in (401, 403)


def test_api_create_for_an_enterprise_out_of_scope_is_refused(
    api_client_for, enterprise_manager, county
):
    response = api_client_for(enterprise_manager).post(
        "/api/v1/hazards/",
        {
            "enterprise": county.ly_chem.pk,
            "source": "self_check",
            "description": "x",
            "location": "y",
            "deadline": days(5).isoformat(),
            "responsible_person": "z",
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("step", ["determine", "assign", "void", "decide-extension"])
def test_api_county_steps_are_refused_to_enterprises(
    step, api_client_for, enterprise_manager, hazard
):
    response = api_client_for(enterprise_manager).post(
        f"/api/v1/hazards/{hazard.pk}/{step}/", {}, format="json"
    )
    # bad input is reported first (400) or the role (403): the record is unchanged either way
    assert response.status_code in (400, 403)
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED


def test_api_hazard_list_costs_constant_queries(
    api_client_for, county_officer, county, django_assert_max_num_queries
):
    from tests.hazards.test_hazard_pages import add_hazards

    client = api_client_for(county_officer)
    add_hazards(county, 10)
    client.get("/api/v1/hazards/")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/hazards/")
    add_hazards(county, 190)
    with django_assert_max_num_queries(6):
        client.get("/api/v1/hazards/")


def test_schema_documents_every_step(client_for, county_officer):
    schema = client_for(county_officer).get("/api/schema/", {"format": "json"}).json()
    for step in ("determine", "assign", "progress", "submit", "verify", "void"):
        assert f"/api/v1/hazards/{{id}}/{step}/" in schema["paths"]
    assert "/api/v1/hazards/{id}/request-extension/" in schema["paths"]
