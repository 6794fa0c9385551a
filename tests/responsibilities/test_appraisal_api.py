"""The appraisal API (/api/v1/appraisal-rounds/, /api/v1/appraisal-results/): the same
visibility as the pages per role, the filters, the detail's scores with evidence counts,
the step actions and `adjust` (allowed / forbidden / wrong method / bad input refused in
Chinese with nothing changed), and a constant query count for the list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responsibilities import appraisal_services
from responsibilities.appraisal_models import AppraisalResult, IndicatorScore, ResultStatus
from responsibilities.models import OrganisationKind
from tests.factories import OrganisationFactory
from tests.responsibilities.appraisal_setup import build_scheme, open_and_compute, result_of

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/appraisal-results/"


@pytest.fixture
def computed(county, county_officer):
    setup = build_scheme(county, county_officer)
    open_and_compute(setup, county_officer)
    return setup


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["unit_name"] for row in response.json()["results"]}


def test_each_role_lists_the_results_it_may_see(
    computed,
    county,
    api_client_for,
    county_officer,
    leader,
    town_official,
    department_official,
    enterprise_manager,
    expert,
):
    everyone = {"小渡口镇", "澧阳街道", "应急管理局", "住建局", "危险化学品专委会"}
    assert _names(api_client_for(county_officer).get(RESULTS)) == everyone
    assert _names(api_client_for(leader).get(RESULTS)) == everyone
    assert _names(api_client_for(town_official).get(RESULTS)) == {"小渡口镇"}
    assert _names(api_client_for(department_official).get(RESULTS)) == {"应急管理局", "住建局"}
    for user in (enterprise_manager, expert):
        client = api_client_for(user)
        assert client.get(RESULTS).status_code == 403
        assert client.get("/api/v1/appraisal-rounds/").status_code == 403


def test_a_town_does_not_see_its_result_while_computing(
    computed, county, api_client_for, county_officer, town_official
):
    appraisal_services.recompute_round(actor=county_officer, round_=computed.round)
    client = api_client_for(town_official)
    assert _names(client.get(RESULTS)) == set()
    own = result_of(computed, county.town)
    assert client.get(f"{RESULTS}{own.pk}/").status_code == 404


def test_rounds_are_read_only(computed, api_client_for, county_officer, town_official):
    response = api_client_for(town_official).get("/api/v1/appraisal-rounds/")
    assert response.status_code == 200
    assert response.json()["results"][0]["year"] == computed.year
    client = api_client_for(county_officer)
    assert client.post("/api/v1/appraisal-rounds/", {}).status_code == 405
    assert client.delete(f"/api/v1/appraisal-rounds/{computed.round.pk}/").status_code == 405


def test_filters_by_year_unit_and_status(computed, county, api_client_for, county_officer):
    client = api_client_for(county_officer)
    assert _names(client.get(RESULTS, {"unit": county.town.pk})) == {"小渡口镇"}
    assert len(_names(client.get(RESULTS, {"year": computed.year}))) == 5
    assert _names(client.get(RESULTS, {"year": computed.year + 5})) == set()
    assert len(_names(client.get(RESULTS, {"status": "draft"}))) == 5
    assert client.get(RESULTS, {"status": "nonsense"}).status_code == 400


def test_detail_has_every_score_with_its_evidence_count(
    computed, county, api_client_for, town_official
):
    own = result_of(computed, county.town)
    body = api_client_for(town_official).get(f"{RESULTS}{own.pk}/").json()
    assert body["total"] == "30.00" and body["status"] == "draft"
    scores = {score["code"]: score for score in body["scores"]}
    assert set(scores) == {"D1", "M1"}
    assert scores["D1"]["counted"] == 3 and scores["D1"]["base"] == 4
    assert scores["D1"]["computed_points"] == "30.00" and scores["D1"]["evidence_count"] == 1
    assert scores["M1"]["points"] is None


def _adjust(client, result, code, **data):
    return client.post(f"{RESULTS}{result.pk}/scores/{code}/adjust/", data, format="json")


def test_reviewer_adjusts_a_score(computed, county, api_client_for, county_officer):
    own = result_of(computed, county.town)
    response = _adjust(api_client_for(county_officer), own, "M1", points="17.5", reason="述职良好")
    assert response.status_code == 200, response.content
    assert response.json()["total"] == "47.50"
    scores = {score["code"]: score for score in response.json()["scores"]}
    assert scores["M1"]["adjusted_points"] == "17.50"


def test_adjust_refuses_bad_input_in_chinese(computed, county, api_client_for, county_officer):
    own = result_of(computed, county.town)
    client = api_client_for(county_officer)
    above = _adjust(client, own, "D1", points="45", reason="多给")
    assert above.status_code == 400 and "得分须在 0 到 40.00 分之间" in above.json()["points"][0]
    no_reason = _adjust(client, own, "D1", points="35", reason="")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert _adjust(client, own, "ZZ", points="1", reason="x").status_code == 404
    score = IndicatorScore.objects.get(result=own, indicator__code="D1")
    assert score.adjusted_points is None
    own.refresh_from_db()
    assert own.total == Decimal(30)


def test_adjust_is_forbidden_to_others_and_post_only(
    computed, county, api_client_for, county_officer, leader, town_official
):
    own = result_of(computed, county.town)
    assert _adjust(api_client_for(leader), own, "M1", points="1", reason="x").status_code == 403
    assert (
        _adjust(api_client_for(town_official), own, "M1", points="1", reason="x").status_code == 403
    )
    url = f"{RESULTS}{own.pk}/scores/M1/adjust/"
    assert api_client_for(county_officer).get(url).status_code == 405


def test_steps_through_the_api(
    computed, county, api_client_for, county_officer, leader, town_official, other_town_official
):
    own = result_of(computed, county.town)
    town, office, boss = (
        api_client_for(town_official),
        api_client_for(county_officer),
        api_client_for(leader),
    )
    comment = f"{RESULTS}{own.pk}/comment/"
    assert town.get(comment).status_code == 405
    assert (
        api_client_for(other_town_official).post(comment, {"self_report": "x"}).status_code == 404
    )
    assert office.post(comment, {"self_report": "x"}).status_code == 403
    assert town.post(comment, {"self_report": ""}, format="json").status_code == 400
    response = town.post(comment, {"self_report": "已说明情况"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "commented"

    submit = f"{RESULTS}{own.pk}/submit/"
    refused = office.post(submit, {"review_note": "同意"}, format="json")
    assert refused.status_code == 400
    assert "以下评议计分指标尚未打分：述职评议" in str(refused.json())
    own.refresh_from_db()
    assert own.status == ResultStatus.COMMENTED
    assert _adjust(office, own, "M1", points="20", reason="好").status_code == 200
    assert boss.post(submit, {}, format="json").status_code == 403
    assert office.post(submit, {}, format="json").json()["status"] == "reviewed"

    approve = f"{RESULTS}{own.pk}/approve/"
    assert office.post(approve, {}, format="json").status_code == 403
    assert boss.get(approve).status_code == 405
    assert boss.post(approve, {"note": "同意"}, format="json").json()["status"] == "approved"
    # adjusting once approved: the state refuses (409), nothing changes
    assert _adjust(office, own, "M1", points="10", reason="改").status_code == 409
    own.refresh_from_db()
    assert own.total == Decimal(50)


def test_result_list_queries_do_not_grow(computed, api_client_for, county_officer):
    client = api_client_for(county_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(RESULTS).status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        unit = OrganisationFactory(code=f"T{n:03}", name=f"镇{n}", kind=OrganisationKind.TOWN)
        AppraisalResult.objects.create(
            round=computed.round,
            unit=unit,
            appraiser=computed.safety_committee,
            status=ResultStatus.DRAFT,
        )
    assert count() == few
