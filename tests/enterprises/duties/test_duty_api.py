"""The API for duty records, compliance and self-assessments: same doors as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enterprises.assessment import services
from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.duties.models import SpecialOperationCertificate
from tests.enterprises.factories_duties import (
    CertificateFactory,
    PeriodFactory,
    fake_pdf_upload,
    pdf_upload,
    small_template,
)
from tests.factories import EnterpriseFactory

CERT = {
    "worker_name": "王电工",
    "category": "electrical",
    "number": "T1",
    "expires_on": "2028-01-01",
}


@pytest.fixture
def assessment(county, enterprise_manager):
    small_template()
    return services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=PeriodFactory(year=2026)
    )


def test_enterprise_manager_creates_a_certificate(county, enterprise_manager, api_client_for):
    response = api_client_for(enterprise_manager).post(
        "/api/v1/duties/certificates/", {**CERT, "enterprise": county.xdk_build.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert SpecialOperationCertificate.objects.get().worker_name == "王电工"


def test_creating_for_an_enterprise_out_of_scope_is_refused(
    county, enterprise_manager, api_client_for
):
    response = api_client_for(enterprise_manager).post(
        "/api/v1/duties/certificates/", {**CERT, "enterprise": county.xdk_chem.pk}, format="json"
    )
    assert response.status_code == 400
    assert not SpecialOperationCertificate.objects.exists()


def test_town_official_cannot_create_duty_records(county, town_official, api_client_for):
    response = api_client_for(town_official).post(
        "/api/v1/duties/certificates/", {**CERT, "enterprise": county.xdk_build.pk}, format="json"
    )
    assert response.status_code == 403
    assert not SpecialOperationCertificate.objects.exists()


def test_document_upload_through_the_api_is_checked_by_content(
    county, enterprise_manager, api_client_for
):
    client = api_client_for(enterprise_manager)
    data = {
        "enterprise": county.xdk_build.pk,
        "kind": "commitment",
        "title": "承诺制",
        "issued_on": "2026-01-01",
    }
    bad = client.post(
        "/api/v1/duties/documents/",
        {**data, "file": fake_pdf_upload()},
        format="multipart",
    )
    assert bad.status_code == 400
    good = client.post(
        "/api/v1/duties/documents/", {**data, "file": pdf_upload()}, format="multipart"
    )
    assert good.status_code == 201, good.content


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("enterprise_manager", 1),
        ("town_official", 2),
        ("county_officer", 3),
        ("other_town_official", 1),
        ("outsider", 0),
    ],
)
def test_certificate_list_follows_enterprise_visibility(
    persona, count, request, county, api_client_for
):
    CertificateFactory(enterprise=county.xdk_build)
    CertificateFactory(enterprise=county.xdk_chem)
    CertificateFactory(enterprise=county.ly_build)
    response = api_client_for(request.getfixturevalue(persona)).get("/api/v1/duties/certificates/")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_delete_through_the_api(county, enterprise_manager, town_official, api_client_for):
    cert = CertificateFactory(enterprise=county.xdk_build)
    url = f"/api/v1/duties/certificates/{cert.pk}/"
    assert api_client_for(town_official).delete(url).status_code == 403
    assert api_client_for(enterprise_manager).delete(url).status_code == 204
    assert not SpecialOperationCertificate.objects.exists()


def test_anonymous_api_calls_are_refused(county, client):
    assert client.get("/api/v1/duties/certificates/").status_code in (401, 403)
    assert client.get("/api/v1/self-assessments/").status_code in (401, 403)


def test_compliance_results_per_enterprise(
    county, town_official, other_town_official, api_client_for
):
    url = f"/api/v1/compliance/{county.xdk_build.pk}/"
    body = api_client_for(town_official).get(url).json()
    assert {r["check"] for r in body["results"]} >= {"staffing", "drills", "certificates"}
    assert api_client_for(other_town_official).get(url).status_code == 404


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
