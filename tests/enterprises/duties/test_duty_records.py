"""Duty records: who may add, remove and download them; the enterprise page's badges; the
follow-up list per role."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.duties.judging import judge_all
from enterprises.duties.models import (
    DocumentKind,
    DutyDocument,
    SafetyStaffing,
    SpecialOperationCertificate,
    TrainingRecord,
)
from enterprises.models import Enterprise
from safetyportal.audit.models import AuditEvent
from tests.enterprises.factories_duties import (
    CertificateFactory,
    DocumentFactory,
    InsuranceMandateFactory,
    StaffingFactory,
    fake_pdf_upload,
    pdf_upload,
)
from tests.factories import EnterpriseFactory
from tests.pdf import pdf_text


def add_url(enterprise, kind):
    return reverse("enterprises:duty_add", args=[enterprise.pk, kind])


def test_enterprise_manager_adds_a_certificate_and_it_is_audited(
    county, enterprise_manager, client_for
):
    client = client_for(enterprise_manager)
    response = client.post(
        add_url(county.xdk_build, "certificates"),
        {
            "worker_name": "王焊工",
            "category": "welding",
            "number": "T123",
            "issued_on": "2022-05-01",
            "expires_on": "2028-05-01",
            "reviewed_on": "2025-04-20",
        },
    )
    assert response.status_code == 302
    cert = SpecialOperationCertificate.objects.get(enterprise=county.xdk_build)
    assert cert.worker_name == "王焊工"
    assert (cert.issued_on, cert.reviewed_on) == (
        datetime.date(2022, 5, 1),
        datetime.date(2025, 4, 20),
    )
    event = AuditEvent.objects.get(verb="enterprise.duty_added")
    assert event.target_id == county.xdk_build.pk
    assert event.payload["kind"] == "特种作业操作证"


def test_a_certificate_needs_its_issue_date_and_a_review_not_before_it(
    county, enterprise_manager, client_for
):
    client = client_for(enterprise_manager)
    data = {
        "worker_name": "王焊工",
        "category": "welding",
        "number": "T1",
        "expires_on": "2028-05-01",
    }
    response = client.post(add_url(county.xdk_build, "certificates"), data)
    assert response.status_code == 200 and "issued_on" in response.context["form"].errors
    data |= {"issued_on": "2022-05-01", "reviewed_on": "2022-04-30"}
    response = client.post(add_url(county.xdk_build, "certificates"), data)
    assert "复审日期不能早于发证日期" in response.content.decode()
    assert not SpecialOperationCertificate.objects.exists()


@pytest.mark.parametrize("persona", ["town_official", "county_officer", "department_official"])
def test_officials_cannot_add_duty_records(persona, request, county, client_for):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        add_url(county.xdk_chem, "staffing"), {"full_time_staff": 1, "part_time_staff": 0}
    )
    assert response.status_code == 403
    assert not SafetyStaffing.objects.exists()


def test_enterprise_manager_cannot_touch_another_enterprise(county, enterprise_manager, client_for):
    response = client_for(enterprise_manager).post(
        add_url(county.xdk_chem, "staffing"), {"full_time_staff": 1, "part_time_staff": 0}
    )
    assert response.status_code == 404
    assert not SafetyStaffing.objects.exists()


def test_unknown_duty_kind_is_404(county, enterprise_manager, client_for):
    assert client_for(enterprise_manager).get(add_url(county.xdk_build, "bogus")).status_code == 404


def void_url(enterprise, record) -> str:
    return reverse("enterprises:duty_void", args=[enterprise.pk, "certificates", record.pk])


def test_voiding_needs_post_and_a_reason_and_keeps_the_record(
    county, enterprise_manager, client_for
):
    cert = CertificateFactory(enterprise=county.xdk_build)
    url = void_url(county.xdk_build, cert)
    client = client_for(enterprise_manager)
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "请填写作废原因" in response.content.decode()
    assert SpecialOperationCertificate.objects.count() == 1
    assert client.post(url, {"reason": "证书号录错"}).status_code == 302
    assert not SpecialOperationCertificate.objects.exists()  # no longer shown or counted
    kept = SpecialOperationCertificate.all_objects.get(pk=cert.pk)
    assert kept.void_reason == "证书号录错"
    assert kept.voided_by == enterprise_manager and kept.voided_at is not None
    event = AuditEvent.objects.get(verb="enterprise.duty_voided")
    assert event.payload["reason"] == "证书号录错"
    assert client.post(url, {"reason": "再次作废"}).status_code == 404  # already voided


def test_town_official_cannot_void_a_record(county, town_official, client_for):
    cert = CertificateFactory(enterprise=county.xdk_build)
    url = void_url(county.xdk_build, cert)
    assert client_for(town_official).post(url, {"reason": "错误"}).status_code == 403
    assert SpecialOperationCertificate.objects.count() == 1


def test_api_voids_a_record_with_a_reason(
    county, enterprise_manager, town_official, api_client_for
):
    cert = CertificateFactory(enterprise=county.xdk_build)
    url = f"/api/v1/duties/certificates/{cert.pk}/"
    client = api_client_for(enterprise_manager)
    assert client.delete(url).status_code == 405
    assert api_client_for(town_official).post(f"{url}void/", {"reason": "x"}).status_code == 403
    assert client.post(f"{url}void/", {}).status_code == 400
    assert client.get(f"{url}void/").status_code == 405
    assert client.post(f"{url}void/", {"reason": "录入重复"}).status_code == 204
    assert not SpecialOperationCertificate.objects.exists()
    assert SpecialOperationCertificate.all_objects.get(pk=cert.pk).void_reason == "录入重复"


def test_document_upload_is_checked_by_content(county, enterprise_manager, client_for):
    client = client_for(enterprise_manager)
    data = {"kind": DocumentKind.COMMITMENT, "title": "承诺制度", "issued_on": "2026-02-01"}
    response = client.post(
        add_url(county.xdk_build, "documents"), {**data, "file": fake_pdf_upload()}
    )
    assert response.status_code == 200
    assert "不是允许的类型" in response.content.decode()
    assert not DutyDocument.objects.exists()
    response = client.post(add_url(county.xdk_build, "documents"), {**data, "file": pdf_upload()})
    assert response.status_code == 302
    assert DutyDocument.objects.count() == 1


def test_document_larger_than_the_limit_is_refused(
    county, enterprise_manager, client_for, settings
):
    settings.UPLOAD_MAX_BYTES = 10
    data = {"kind": DocumentKind.COMMITMENT, "title": "承诺制度", "issued_on": "2026-02-01"}
    response = client_for(enterprise_manager).post(
        add_url(county.xdk_build, "documents"), {**data, "file": pdf_upload()}
    )
    assert "超过" in response.content.decode()
    assert not DutyDocument.objects.exists()


def test_insurance_with_end_before_start_is_refused_in_chinese(
    county, enterprise_manager, client_for
):
    response = client_for(enterprise_manager).post(
        add_url(county.xdk_build, "insurance"),
        {
            "policy_number": "P1",
            "insurer": "人保",
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
            "cover_per_person": "40",
        },
    )
    assert response.status_code == 200
    assert "保险止期不能早于起期" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("town_official", 200),
        ("county_officer", 200),
        ("leader", 200),
        ("department_official", 404),  # industry B is 住建局's, not 应急管理局's
        ("other_town_official", 404),
        ("outsider", 404),
    ],
)
def test_document_download_follows_enterprise_visibility(
    persona, status, request, county, client_for
):
    document = DocumentFactory(enterprise=county.xdk_build)
    url = reverse("enterprises:duty_document", args=[county.xdk_build.pk, document.pk])
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # closes the file


def test_enterprise_page_shows_a_badge_per_check(county, town_official, client_for):
    StaffingFactory(enterprise=county.xdk_build, full_time_staff=0, part_time_staff=1)
    CertificateFactory(
        enterprise=county.xdk_build, worker_name="赵电工", expires_on=timezone.localdate()
    )
    html = (
        client_for(town_official)
        .get(reverse("enterprises:detail", args=[county.xdk_build.pk]))
        .content.decode()
    )
    assert 'data-testid="badge-staffing">合规' in html
    assert 'data-testid="badge-certificates">即将到期' in html
    assert 'data-testid="badge-plans">缺失' in html
    assert "赵电工" in html


def test_compliance_followup_lists_only_failing_enterprises_in_scope(
    county, town_official, client_for
):
    InsuranceMandateFactory(industry=county.industry_a)
    judge_all()  # what the admin's save of a mandate does (the factory bypasses it)
    url = reverse("enterprises:compliance") + "?check=insurance"
    html = client_for(town_official).get(url).content.decode()
    assert county.xdk_chem.name in html  # mandatory industry, no policy
    assert county.xdk_build.name not in html  # not mandatory
    assert county.ly_chem.name not in html  # other town


@pytest.mark.parametrize("persona", ["enterprise_manager", "expert", "outsider"])
def test_compliance_followup_is_for_government_roles(persona, request, county, client_for):
    url = reverse("enterprises:compliance")
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 403


def test_compliance_followup_costs_the_same_queries_for_more_enterprises(
    county, county_officer, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    url = reverse("enterprises:compliance") + "?check=certificates"
    client.get(url)
    for _ in range(2):
        for enterprise in EnterpriseFactory.create_batch(
            20, town=county.town, industry=county.industry_b
        ):
            CertificateFactory(enterprise=enterprise, expires_on=datetime.date(2020, 1, 1))
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200
    assert Enterprise.objects.count() == 44


def test_enterprise_page_costs_a_fixed_number_of_queries(
    county, enterprise_manager, client_for, django_assert_max_num_queries
):
    client = client_for(enterprise_manager)
    url = reverse("enterprises:detail", args=[county.xdk_build.pk])
    client.get(url)
    CertificateFactory.create_batch(15, enterprise=county.xdk_build)
    DocumentFactory.create_batch(5, enterprise=county.xdk_build)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_enterprise_file_pdf_is_a_pdf(county, town_official, client_for):
    StaffingFactory(enterprise=county.xdk_build)
    response = client_for(town_official).get(
        reverse("enterprises:file_pdf", args=[county.xdk_build.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert county.xdk_build.name in text
    assert "合规" in text and "缺失" in text  # badge labels of the compliance table


def test_enterprise_file_pdf_is_404_outside_scope(county, other_town_official, client_for):
    url = reverse("enterprises:file_pdf", args=[county.xdk_build.pk])
    assert client_for(other_town_official).get(url).status_code == 404


def test_duty_form_renders_for_the_manager_and_rejects_other_methods(
    county, enterprise_manager, client_for
):
    client = client_for(enterprise_manager)
    page = client.get(add_url(county.xdk_build, "drills"))
    assert page.status_code == 200
    assert "新增应急演练" in page.content.decode()
    assert client.put(add_url(county.xdk_build, "drills")).status_code == 405


# issue 8 item 20: a certificate scan on certificates and training records; the save
# message names the kind once


def _certificate_data(**extra):
    return {
        "worker_name": "王焊工",
        "category": "welding",
        "number": "T123",
        "issued_on": "2024-05-01",
        "expires_on": "2030-05-01",
        **extra,
    }


def _training_data(**extra):
    return {
        "trainee_role": "principal",
        "trainee_name": "刘总",
        "trained_on": "2026-10-01",
        "hours": "12",
        "content": "主要负责人年度再培训",
        "passed": "on",
        **extra,
    }


@pytest.mark.parametrize(
    ("kind", "data", "model"),
    [
        ("certificates", _certificate_data, SpecialOperationCertificate),
        ("training", _training_data, TrainingRecord),
    ],
)
def test_a_scan_is_attached_checked_and_downloaded_through_the_door(
    kind, data, model, county, enterprise_manager, other_town_official, client_for
):
    client = client_for(enterprise_manager)
    refused = client.post(add_url(county.xdk_build, kind), data(file=fake_pdf_upload("证书.pdf")))
    assert refused.status_code == 200 and "file" in refused.context["form"].errors
    assert not model.objects.exists()
    response = client.post(add_url(county.xdk_build, kind), data(file=pdf_upload("证书.pdf")))
    assert response.status_code == 302
    record = model.objects.get()
    assert record.file.name.startswith(f"enterprises/{county.xdk_build.pk}/duties/")
    url = reverse("enterprises:duty_file", args=[county.xdk_build.pk, kind, record.pk])
    detail = client.get(reverse("enterprises:detail", args=[county.xdk_build.pk]))
    assert url in detail.content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(other_town_official).get(url).status_code == 404
    assert client.post(url).status_code == 405


def test_the_scan_is_optional_and_a_record_without_one_has_no_download(
    county, enterprise_manager, client_for
):
    client = client_for(enterprise_manager)
    response = client.post(add_url(county.xdk_build, "training"), _training_data(), follow=True)
    page = response.content.decode()
    assert "安全培训记录已保存。" in page
    assert "记录记录" not in page
    record = TrainingRecord.objects.get()
    url = reverse("enterprises:duty_file", args=[county.xdk_build.pk, "training", record.pk])
    assert client.get(url).status_code == 404


def test_a_kind_without_files_has_no_file_url(county, enterprise_manager, client_for):
    staffing = StaffingFactory(enterprise=county.xdk_build)
    url = reverse("enterprises:duty_file", args=[county.xdk_build.pk, "staffing", staffing.pk])
    assert client_for(enterprise_manager).get(url).status_code == 404
