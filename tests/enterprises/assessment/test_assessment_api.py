"""The self-assessment API: the workflow's steps as POST actions, answering as the pages do
(404 door, 403 rule, 400 input, 409 state), and described in the OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.assessment import services
from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from tests.enterprises.factories_duties import PeriodFactory, small_template
from tests.factories import EnterpriseFactory


@pytest.fixture
def assessment(county, enterprise_manager):
    small_template()
    return services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=PeriodFactory(year=2026)
    )


def test_fill_submit_and_review_through_the_api(
    assessment, enterprise_manager, town_official, api_client_for
):
    ids = dict(assessment.answers.values_list("code", "pk"))
    url = f"/api/v1/self-assessments/{assessment.pk}/"
    bad = api_client_for(enterprise_manager).post(
        url + "save/",
        {"answers": [{"id": ids["A1"], "score": "12"}]},
        format="json",
    )
    assert bad.status_code == 400 and "A1" in bad.json()["detail"][0]
    answers = [{"id": pk, "score": "10"} for pk in ids.values()]
    done = api_client_for(enterprise_manager).post(
        url + "submit/", {"answers": answers}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    forbidden = api_client_for(enterprise_manager).post(url + "accept/", {}, format="json")
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "您不是该企业的审核单位。"
    review = {"adjustments": [{"id": ids["A1"], "score": "5", "reason": "制度未落实"}]}
    accepted = api_client_for(town_official).post(url + "accept/", review, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["total"] == "87.5"
    assert SelfAssessment.objects.get().status == AssessmentStatus.ACCEPTED
    # the state allows no step any more: 409 with the reason
    again = api_client_for(town_official).post(url + "return/", {"note": "再看看"}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "只有待审核的自评可以审核。"


def test_assessment_actions_need_post(assessment, enterprise_manager, api_client_for):
    response = api_client_for(enterprise_manager).get(
        f"/api/v1/self-assessments/{assessment.pk}/save/"
    )
    assert response.status_code == 405


def test_assessment_api_list_queries_do_not_grow(
    county, county_officer, api_client_for, django_assert_max_num_queries
):
    template = small_template()
    period = PeriodFactory(year=2026)
    client = api_client_for(county_officer)
    client.get("/api/v1/self-assessments/")
    for _ in range(2):
        for enterprise in EnterpriseFactory.create_batch(
            10, town=county.town, industry=county.industry_b
        ):
            SelfAssessment.objects.create(enterprise=enterprise, period=period, template=template)
        with django_assert_max_num_queries(8):
            assert client.get("/api/v1/self-assessments/").status_code == 200


def test_api_save_updates_only_the_keys_sent(assessment, enterprise_manager, api_client_for):
    a1 = assessment.answers.get(code="A1")
    url = f"/api/v1/self-assessments/{assessment.pk}/save/"
    client = api_client_for(enterprise_manager)
    first = [{"id": a1.pk, "score": "8", "note": "责任书已签订"}]
    assert client.post(url, {"answers": first}, format="json").status_code == 200
    score_only = client.post(url, {"answers": [{"id": a1.pk, "score": "9"}]}, format="json")
    assert score_only.status_code == 200
    a1.refresh_from_db()
    assert (a1.score, a1.note, a1.not_applicable) == (Decimal("9"), "责任书已签订", False)
    note_only = client.post(url, {"answers": [{"id": a1.pk, "note": "已补充"}]}, format="json")
    assert note_only.status_code == 200
    a1.refresh_from_db()
    assert (a1.score, a1.note) == (Decimal("9"), "已补充")


@pytest.mark.parametrize(
    ("persona", "status", "reason"),
    [
        ("enterprise_manager", 403, "您不是该企业的审核单位。"),  # the rule
        ("town_official", 409, "只有待审核的自评可以审核。"),  # the state (a draft)
        ("other_town_official", 404, None),  # the door
    ],
)
def test_the_page_and_the_api_answer_the_same_for_a_step(
    persona, status, reason, request, assessment, client_for, api_client_for
):
    user = request.getfixturevalue(persona)
    page = client_for(user).post(
        reverse("enterprises:assessment_step", args=[assessment.pk, "accept"]), {}
    )
    api = api_client_for(user).post(
        f"/api/v1/self-assessments/{assessment.pk}/accept/", {}, format="json"
    )
    assert page.status_code == api.status_code == status
    if reason:
        assert reason in page.content.decode()
        assert api.json()["detail"] == reason
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_the_page_shows_only_the_steps_the_user_may_take_now(
    assessment, enterprise_manager, town_official, client_for
):
    url = reverse("enterprises:assessment_detail", args=[assessment.pk])
    own = client_for(enterprise_manager).get(url).content.decode()
    assert 'data-testid="step-save"' in own and 'data-testid="step-submit"' in own
    assert 'data-testid="step-accept"' not in own
    official = client_for(town_official).get(url).content.decode()
    assert 'data-testid="step-' not in official  # a draft: nothing to review yet


def test_the_schema_describes_each_steps_input_and_answers(county_officer, client_for):
    schema = client_for(county_officer).get("/api/schema/", {"format": "json"}).json()
    for step, request_schema in (
        ("save", "AnswersRequest"),
        ("submit", "AnswersRequest"),
        ("accept", "ReviewRequest"),
        ("return", "ReviewRequest"),
    ):
        operation = schema["paths"][f"/api/v1/self-assessments/{{id}}/{step}/"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"] == f"#/components/schemas/{request_schema}"
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    answers = schema["components"]["schemas"]["AnswersRequest"]["properties"]["answers"]
    row = schema["components"]["schemas"]["AnswerInput"]["properties"]
    assert answers["type"] == "array" and {"id", "score", "not_applicable", "note"} <= set(row)


def test_answers_read_as_the_generic_model_serializer_writes_them(
    assessment, enterprise_manager, town_official
):
    """AnswerSerializer reads the columns directly (a list carries a thousand answers);
    its output is exactly DRF's generic ModelSerializer output, for every kind of value:
    unanswered, scored, not applicable, adjusted by the reviewer, linked to a hazard."""
    from rest_framework import serializers as drf

    from enterprises.assessment.api import AnswerSerializer
    from tests.hazards.factories import HazardFactory

    answers = list(assessment.answers.order_by("pk"))
    assert len(answers) >= 3
    answers[0].score = Decimal("7.5")
    answers[0].reviewed_score = Decimal("5")
    answers[0].adjust_reason = "制度未落实"
    answers[0].hazard = HazardFactory(enterprise=assessment.enterprise)
    answers[1].not_applicable = True
    answers[1].note = '说明 "引号"'
    for answer in answers[:2]:
        answer.save()
    fresh = list(assessment.answers.order_by("pk"))
    fast = AnswerSerializer(fresh, many=True).data
    generic = [drf.ModelSerializer.to_representation(AnswerSerializer(), a) for a in fresh]
    assert [dict(row) for row in fast] == [dict(row) for row in generic]
    assert fast[0]["hazard"] == answers[0].hazard.pk and fast[0]["score"] == "7.5"
    assert fast[2]["score"] is None and fast[2]["hazard"] is None
