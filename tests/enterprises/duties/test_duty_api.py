"""The API for duty records and compliance: same doors as the pages."""

from __future__ import annotations

import pytest

from enterprises.duties.models import SpecialOperationCertificate
from tests.enterprises.factories_duties import (
    CertificateFactory,
    fake_pdf_upload,
    pdf_upload,
)

CERT = {
    "worker_name": "王电工",
    "category": "electrical",
    "number": "T1",
    "expires_on": "2028-01-01",
}


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


def test_the_api_voids_instead_of_deleting(
    county, enterprise_manager, town_official, api_client_for
):
    cert = CertificateFactory(enterprise=county.xdk_build)
    url = f"/api/v1/duties/certificates/{cert.pk}/"
    assert api_client_for(enterprise_manager).delete(url).status_code == 405
    assert api_client_for(town_official).post(f"{url}void/", {"reason": "x"}).status_code == 403
    response = api_client_for(enterprise_manager).post(f"{url}void/", {"reason": "录入错误"})
    assert response.status_code == 204
    assert not SpecialOperationCertificate.objects.exists()
    assert SpecialOperationCertificate.all_objects.filter(pk=cert.pk).exists()


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
