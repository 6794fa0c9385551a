"""What the fuzzer found, pinned one by one (ADR 0044): each refusal has the body and the
status the schema documents."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from tests.enforcement.factories import InspectionPlanFactory


def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_a_body_that_cannot_be_parsed_is_the_400_of_bad_input_in_chinese(
    api_client_for, county, enterprise_manager
):
    response = api_client_for(enterprise_manager).post(
        "/api/v1/risk-points/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    (message,) = response.json()["detail"]
    assert "无法解析" in message


def test_an_api_url_no_route_matches_answers_json_404(api_client_for, county_officer):
    response = api_client_for(county_officer).post("/api/v1/hazards/1.5/verify/", {})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_page_past_the_end_is_a_documented_404(api_client_for, county_officer):
    response = api_client_for(county_officer).get("/api/v1/hazards/", {"page": 99})
    assert response.status_code == 404
    assert "404" in api_schema()["paths"]["/api/v1/hazards/"]["get"]["responses"]


def test_a_read_only_choice_that_may_be_blank_documents_blank():
    schema = api_schema()
    penalty_kind = schema["components"]["schemas"]["Case"]["properties"]["penalty_kind"]
    refs = {option["$ref"].rsplit("/", 1)[1] for option in penalty_kind["oneOf"]}
    assert "BlankEnum" in refs


def test_the_documents_of_a_case_are_documented_as_a_plain_list():
    operation = api_schema()["paths"]["/api/v1/cases/{id}/documents/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert not [p for p in operation.get("parameters", []) if p["in"] == "query"]


def test_every_400_has_the_one_validation_body():
    for path, item in api_schema()["paths"].items():
        for method, operation in item.items():
            refused = operation.get("responses", {}).get("400")
            if refused:
                body = refused["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/ValidationError"}, (method, path)


def test_a_plan_out_of_scope_named_in_a_new_target_is_bad_input_on_that_field(
    api_client_for, county, town_official
):
    plan = InspectionPlanFactory(unit=county.other_town)
    response = api_client_for(town_official).post(
        "/api/v1/enforcement/plan-targets/",
        {
            "plan": plan.pk,
            "enterprise": county.xdk_chem.pk,
            "month": 5,
            "kind": "area",
            "assigned_to": town_official.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["plan"]
