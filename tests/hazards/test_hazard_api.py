"""The API: the same steps, permissions and refusals as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hazards.models import Hazard, HazardStatus
from tests.hazards.conftest import days, png_bytes

S = HazardStatus


def post_hazard(client, enterprise_id, **fields):
    """Report a hazard through the API (a self-check unless `fields` say otherwise)."""
    body = {
        "enterprise": enterprise_id,
        "source": "self_check",
        "description": "x",
        "location": "y",
        "deadline": days(5).isoformat(),
        "responsible_person": "z",
        **fields,
    }
    return client.post("/api/v1/hazards/", body, format="json")


def post(client, hazard, step, data=None):
    return client.post(f"/api/v1/hazards/{hazard.pk}/{step}/", data or {}, format="json")


def submit_with_evidence(client, hazard, note):
    """An application to close with one evidence photo, as multipart (like an app would)."""
    evidence = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    return client.post(
        f"/api/v1/hazards/{hazard.pk}/submit/",
        {"note": note, "files": [evidence]},
        format="multipart",
    )


def test_major_hazard_walks_to_closure_through_the_api(
    api_client_for, county, county_officer, enterprise_manager, town_official
):
    office = api_client_for(county_officer)
    company = api_client_for(enterprise_manager)
    town = api_client_for(town_official)
    created = post_hazard(
        company,
        county.xdk_build.pk,
        description="深基坑支护变形",
        location="2号基坑",
        deadline=days(10).isoformat(),
        responsible_person="周经理",
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
    response = post(company, hazard, "submit", {"note": "申请销号"})
    assert response.status_code == 400  # a major hazard's application needs evidence
    assert "整改证据" in str(response.json()["files"])
    response = submit_with_evidence(company, hazard, "申请销号")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == S.SUBMITTED
    assert hazard.attachments.get().content_type == "image/png"
    response = post(town, hazard, "verify", {"passed": False, "opinion": "监测数据未达标"})
    assert response.json()["status"] == S.RECTIFYING
    assert submit_with_evidence(company, hazard, "再次申请").status_code == 200
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


def test_api_create_for_an_enterprise_out_of_scope_answers_like_a_missing_one(
    api_client_for, enterprise_manager, leader, county
):
    def create(client, enterprise_id):
        return post_hazard(client, enterprise_id)

    company = api_client_for(enterprise_manager)
    out_of_scope = create(company, county.ly_chem.pk)
    missing = create(company, 999999)
    assert out_of_scope.status_code == missing.status_code == 400
    assert out_of_scope.json()["enterprise"] == [
        message.replace("999999", str(county.ly_chem.pk))
        for message in missing.json()["enterprise"]
    ]
    # a read-only role is refused for its role, whatever it sent
    response = create(api_client_for(leader), county.xdk_build.pk)
    assert response.status_code == 403
    assert "没有登记隐患的权限" in response.json()["detail"]
    assert not Hazard.objects.exists()


VALID_BODIES = {
    "determine": {
        "list_number": "API-9",
        "determined_on": days(0).isoformat(),
        "determination_basis": "县安委办专题会议",
    },
    "assign": {
        "slip_number": "API-JB-9",
        "responsible_unit": "小渡口建筑工程公司",
        "supervising_unit": None,  # filled in with a real department below
        "deadline": days(40).isoformat(),
        "responsible_person": "周经理",
        "measures": "加固",
        "funds_amount": "3.00",
        "funds_source": "自筹",
        "contingency_measures": "警戒",
    },
    "void": {"reason": "误录"},
    "decide-extension": {"approve": True, "note": "同意"},
    "accountability": {
        "kind": "interview",
        "unit": "小渡口建筑工程公司",
        "decided_on": days(0).isoformat(),
        "note": "约谈",
    },
}


@pytest.mark.parametrize("step", sorted(VALID_BODIES))
def test_api_county_steps_are_refused_to_enterprises(
    step, api_client_for, enterprise_manager, hazard, county
):
    body = dict(VALID_BODIES[step])
    if "supervising_unit" in body:
        body["supervising_unit"] = county.other_department.pk
    response = api_client_for(enterprise_manager).post(
        f"/api/v1/hazards/{hazard.pk}/{step}/", body, format="json"
    )
    # the role is checked before the body: a valid body still gets 403 with the reason
    assert response.status_code == 403
    assert "只有县安委办" in response.json()["detail"]
    response = api_client_for(enterprise_manager).post(
        f"/api/v1/hazards/{hazard.pk}/{step}/", {}, format="json"
    )
    assert response.status_code == 403  # and so does an empty one: 403, not 400
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


def test_api_accountability_is_refused_on_general_and_voided_hazards(
    api_client_for, county_officer, hazard, report, determine
):
    office = api_client_for(county_officer)
    body = VALID_BODIES["accountability"]
    response = post(office, hazard, "accountability", body)
    assert response.status_code == 409
    assert "只适用于重大事故隐患" in response.json()["detail"]
    major = report()
    determine(major)
    assert post(office, major, "void", {"reason": "误录"}).status_code == 200
    response = post(office, major, "accountability", body)
    assert response.status_code == 409
    assert "已作废" in response.json()["detail"]
    assert post(office, major, "void", {"reason": "x"}).status_code == 409


def test_api_and_page_refuse_progress_dates_outside_found_on_and_today(
    api_client_for, client_for, major, enterprise_manager
):
    from django.urls import reverse

    body = {"entry_date": days(-2).isoformat(), "percent": 10, "note": "补录"}
    response = post(api_client_for(enterprise_manager), major, "progress", body)
    assert response.status_code == 400
    assert "不能早于隐患发现日期" in response.json()["entry_date"][0]
    url = reverse("hazards:step", args=[major.pk, "progress"])
    data = {
        "progress-entry_date": days(1).isoformat(),
        "progress-percent": "10",
        "progress-note": "x",
    }
    response = client_for(enterprise_manager).post(url, data)
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    response = post(
        api_client_for(enterprise_manager),
        major,
        "progress",
        {**body, "entry_date": days(1).isoformat()},
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.json()["entry_date"][0]
    assert not major.progress_entries.exists()
