"""Inspections through the services: logging, the rules (certified officers, scope, dates,
photos), submission, finding -> hazard, 只检查不执法's flag."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from enforcement.authority.models import OfficerCertificate
from enforcement.inspections import services
from enforcement.inspections.models import Finding, Inspection, InspectionStatus
from enforcement.plans.models import InspectionPlan, PlanTarget
from hazards.models import Hazard, HazardSource
from safetyportal.audit.models import AuditEvent
from safetyportal.workflow.errors import StepForbidden, StepNotAllowed
from tests.enforcement.factories import days
from tests.hazards.conftest import png_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(name="现场.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_an_inspection_is_logged_as_a_draft_with_its_answers_findings_and_officers(
    log, county, powers, town_official, checklists
):
    item = checklists.chem.items.order_by("order").first()
    inspection = log(
        officers=[town_official.pk, powers.town_partner.pk],
        answers={item.pk: ("no", "未登记")},
        findings=[
            services.FindingInput(
                description="重大危险源未登记", checklist_item_id=item.pk, photos=[photo()]
            )
        ],
    )
    assert inspection.status == InspectionStatus.DRAFT
    assert inspection.enterprise == county.xdk_chem
    assert inspection.town == county.town
    assert inspection.checklist == checklists.chem  # the industry's template
    assert inspection.finding_count == 1 and not inspection.followed_up
    assert set(inspection.officers.values_list("pk", flat=True)) == {
        town_official.pk,
        powers.town_partner.pk,
    }
    assert inspection.answers.get().answer == "no"
    assert inspection.findings.get().photos.count() == 1
    assert AuditEvent.objects.filter(verb="inspection.logged", target_id=inspection.pk).exists()


def test_an_enterprise_without_an_industry_template_gets_the_general_checklist(
    log, county, checklists
):
    assert log(enterprise=county.xdk_build).checklist == checklists.general


def test_an_officer_without_a_valid_certificate_is_refused_and_nothing_is_written(
    log, powers, town_official
):
    with pytest.raises(ValidationError) as error:
        log(officers=[town_official.pk, powers.uncertified_official.pk])
    assert "冯无证" in str(error.value) and "没有有效的执法证" in str(error.value)
    assert not Inspection.objects.exists()


def test_an_officer_of_another_unit_is_refused(log, other_town_official):
    with pytest.raises(ValidationError) as error:
        log(officers=[other_town_official.pk])
    assert "不属于检查单位" in str(error.value)
    assert not Inspection.objects.exists()


def test_an_enterprise_outside_the_town_is_refused(log, county):
    with pytest.raises(ValidationError) as error:
        log(enterprise=county.ly_build)
    assert "不在您的辖区" in str(error.value)
    assert not Inspection.objects.exists()


def test_a_future_date_is_refused(log):
    with pytest.raises(ValidationError) as error:
        log(inspected_on=days(1))
    assert "不能晚于今天" in str(error.value)
    assert not Inspection.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_in_chinese():
    with pytest.raises(ValidationError) as error:
        services.check_photos([SimpleUploadedFile("a.png", b"not a picture at all")])
    assert "不是允许的类型" in " ".join(error.value.messages)


def test_only_enforcement_officials_log_inspections(log, county_officer, enterprise_manager):
    for user in (county_officer, enterprise_manager):
        with pytest.raises(StepForbidden):
            log(actor=user)
    assert not Inspection.objects.exists()


def test_submitting_marks_the_plan_target_done(log, county, town_official):
    plan = InspectionPlan.objects.create(
        unit=county.town, year=days(0).year, title="2026年检查计划", created_by=town_official
    )
    target = PlanTarget.objects.create(
        plan=plan, enterprise=county.xdk_chem, month=days(0).month, assigned_to=town_official
    )
    inspection = log(plan_target=target)
    services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    inspection.refresh_from_db()
    target.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
    assert target.done_on == inspection.inspected_on


def test_submitting_checks_the_certificates_on_the_inspection_date(log, town_official):
    inspection = log()
    OfficerCertificate.objects.filter(officer=town_official).update(revoked_on=days(-1))
    with pytest.raises(ValidationError) as error:
        services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    assert "没有有效的执法证" in str(error.value)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFT


def test_submitting_needs_the_signature_or_the_recorded_refusal(log, town_official):
    inspection = log(acknowledged_by="")
    with pytest.raises(StepNotAllowed, match="拒绝签字"):
        services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    refused = log(acknowledged_by="", refused_to_sign=True)
    services.submit_inspection(actor=town_official, inspection_id=refused.pk)


def test_a_finding_becomes_a_hazard_in_one_step(log, county, town_official):
    inspection = log(
        findings=[
            services.FindingInput(description="安全出口堵塞", location="仓库", photos=[photo()])
        ]
    )
    services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    finding = inspection.findings.get()
    hazard = services.finding_to_hazard(
        actor=town_official, finding_id=finding.pk, deadline=days(10), responsible_person="周经理"
    )
    finding.refresh_from_db()
    inspection.refresh_from_db()
    assert finding.hazard == hazard
    assert inspection.followed_up
    assert hazard.source == HazardSource.INSPECTION
    assert hazard.enterprise == county.xdk_chem
    assert hazard.found_on == inspection.inspected_on
    assert hazard.attachments.count() == 1
    assert Hazard.objects.visible_to(town_official).filter(pk=hazard.pk).exists()
    with pytest.raises(StepNotAllowed, match="已转为隐患"):
        services.finding_to_hazard(
            actor=town_official, finding_id=finding.pk, deadline=days(10), responsible_person="周"
        )


def test_a_draft_finding_cannot_become_a_hazard_yet(log, town_official):
    finding = log().findings.get()
    with pytest.raises(StepNotAllowed):
        services.finding_to_hazard(
            actor=town_official, finding_id=finding.pk, deadline=days(10), responsible_person="周"
        )
    assert not Hazard.objects.exists()


def test_a_case_from_the_inspection_marks_it_followed_up(log):
    inspection = log()
    services.mark_followed_up(inspection_id=inspection.pk)
    inspection.refresh_from_db()
    assert inspection.followed_up


def test_adding_a_finding_to_a_draft_counts_it(log, town_official):
    inspection = log()
    services.add_finding(
        actor=town_official, inspection_id=inspection.pk, description="灭火器过期", photos=[photo()]
    )
    inspection.refresh_from_db()
    assert inspection.finding_count == 2
    assert Finding.objects.filter(inspection=inspection).count() == 2
