"""The state machine and the services: who may take which step from which state."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from hazards import services
from hazards.models import (
    TRANSITIONS,
    ExtensionStatus,
    Hazard,
    HazardClass,
    HazardSource,
    HazardStatus,
    StepForbidden,
    StepNotAllowed,
)
from hazards.permissions import listings_visible_to
from safetyportal.audit.models import AuditEvent
from tests.factories import evidence_photo
from tests.hazards.conftest import days

S = HazardStatus


def verbs(hazard) -> list[str]:
    return list(AuditEvent.objects.for_object(hazard).order_by("id").values_list("verb", flat=True))


def unchanged(hazard) -> tuple:
    fresh = Hazard.objects.get(pk=hazard.pk)
    return (fresh.status, fresh.hazard_class, fresh.deadline, fresh.closed_on, fresh.updated_at)


def test_transition_table_covers_every_step_and_closing_needs_verification():
    targets = {step: target for step, (_sources, target) in TRANSITIONS.items()}
    assert [step for step, target in targets.items() if target == S.CLOSED] == ["verify_pass"]
    assert all(S.CLOSED not in sources for sources, _ in TRANSITIONS.values())


def test_general_hazard_walks_from_found_to_closed(
    hazard, enterprise_manager, town_official, county
):
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已加固", files=[evidence_photo()]
    )
    services.verify_rectification(
        actor=town_official, hazard_id=hazard.pk, passed=False, opinion="连墙件间距仍超标"
    )
    hazard.refresh_from_db()
    assert hazard.status == S.RECTIFYING
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已补齐", files=[evidence_photo()]
    )
    services.verify_rectification(
        actor=town_official, hazard_id=hazard.pk, passed=True, opinion="现场核查合格"
    )
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSED
    assert hazard.closed_on is not None
    assert verbs(hazard) == [
        "hazard.reported",
        "hazard.rectification_started",
        "hazard.rectification_submitted",
        "hazard.verification_failed",
        "hazard.rectification_submitted",
        "hazard.verified",
    ]
    assert list(hazard.verifications.values_list("passed", flat=True)) == [True, False]


def test_enterprise_reports_its_own_hazard_as_self_check(report, enterprise_manager, county):
    hazard = report(actor=enterprise_manager, source=HazardSource.INSPECTION)
    assert hazard.source == HazardSource.SELF_CHECK
    assert hazard.town == county.town


def test_enterprise_cannot_report_for_another_enterprise(report, enterprise_manager, county):
    with pytest.raises(StepForbidden, match="只能登记本单位"):
        report(actor=enterprise_manager, enterprise=county.xdk_chem)
    assert not Hazard.objects.exists()


def test_report_with_deadline_before_found_date_is_refused(report):
    with pytest.raises(ValidationError) as error:
        report(deadline=days(-5))
    assert "整改期限不能早于发现日期" in str(error.value)
    assert not Hazard.objects.exists()


def test_enterprise_cannot_verify_its_own_rectification(hazard, enterprise_manager):
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    before = unchanged(hazard)
    with pytest.raises(StepForbidden, match="企业不能核查自己的整改"):
        services.verify_rectification(
            actor=enterprise_manager, hazard_id=hazard.pk, passed=True, opinion="好了"
        )
    assert unchanged(hazard) == before


def test_town_official_cannot_close_a_hazard_in_another_town(
    report, county, other_town_official, county_officer
):
    hazard = report(actor=county_officer, enterprise=county.xdk_chem)
    services.start_rectification(actor=county_officer, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=county_officer, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    # out of jurisdiction: the hazard does not exist for them
    with pytest.raises(Http404):
        services.verify_rectification(
            actor=other_town_official, hazard_id=hazard.pk, passed=True, opinion="通过"
        )
    assert Hazard.objects.get(pk=hazard.pk).status == S.SUBMITTED


def test_verifier_must_differ_from_the_submitter(hazard, town_official):
    services.start_rectification(actor=town_official, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=town_official, hazard_id=hazard.pk, note="代为提交", files=[evidence_photo()]
    )
    with pytest.raises(StepForbidden, match="核查人不能是提交过整改"):
        services.verify_rectification(
            actor=town_official, hazard_id=hazard.pk, passed=True, opinion="通过"
        )
    assert Hazard.objects.get(pk=hazard.pk).status == S.SUBMITTED


def test_leader_is_read_only(hazard, leader):
    with pytest.raises(StepForbidden, match="只能查看"):
        services.start_rectification(actor=leader, hazard_id=hazard.pk)


def test_steps_from_wrong_states_are_refused_in_chinese(hazard, enterprise_manager, town_official):
    with pytest.raises(StepNotAllowed, match="当前状态为“已发现”，不能执行“提交整改/申请销号”"):
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=hazard.pk, note="x", files=[evidence_photo()]
        )
    with pytest.raises(StepNotAllowed, match="不能执行“核查通过”"):
        services.verify_rectification(
            actor=town_official, hazard_id=hazard.pk, passed=True, opinion="通过"
        )
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED


def test_failed_verification_needs_a_written_explanation(hazard, enterprise_manager, town_official):
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    with pytest.raises(ValidationError, match="书面说明"):
        services.verify_rectification(
            actor=town_official, hazard_id=hazard.pk, passed=False, opinion="  "
        )
    assert Hazard.objects.get(pk=hazard.pk).status == S.SUBMITTED


# --- 一单四制 ------------------------------------------------------------------------------


def test_major_hazard_walks_determination_to_closure(
    hazard, determine, assign, enterprise_manager, town_official, county_officer, png_upload
):
    determine(hazard)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.hazard_class) == (S.DETERMINED, HazardClass.MAJOR)
    assert hazard.listing.list_number == "LX-2026-001"
    assign(hazard)
    hazard.refresh_from_db()
    assert hazard.status == S.RECTIFYING
    assert hazard.slip.funds_amount == 12.5
    services.record_progress(
        actor=enterprise_manager,
        hazard_id=hazard.pk,
        entry_date=days(0),
        percent=60,
        note="连墙件已补设六成",
    )
    with pytest.raises(ValidationError, match="须上传至少一份整改证据"):
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=hazard.pk, note="申请销号"
        )
    assert Hazard.objects.get(pk=hazard.pk).status == S.RECTIFYING
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="申请销号", files=[png_upload()]
    )
    services.verify_rectification(
        actor=town_official, hazard_id=hazard.pk, passed=False, opinion="基础加固未完成"
    )
    hazard.refresh_from_db()
    assert hazard.status == S.RECTIFYING  # stays on the list
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="再次申请", files=[png_upload()]
    )
    services.verify_rectification(
        actor=county_officer, hazard_id=hazard.pk, passed=True, opinion="现场核查合格，同意销号"
    )
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSED
    assert hazard.listing.closing_opinion == "现场核查合格，同意销号"
    # the class never goes back: the list (listings_visible_to) relies on it
    assert hazard.hazard_class == HazardClass.MAJOR
    assert listings_visible_to(county_officer).filter(pk=hazard.listing.pk).exists()
    assert verbs(hazard) == [
        "hazard.reported",
        "hazard.determined_major",
        "hazard.assigned",
        "hazard.progress_recorded",
        "hazard.closure_applied",
        "hazard.verification_failed",
        "hazard.closure_applied",
        "hazard.verified",
    ]


def test_only_the_county_office_determines_and_assigns(hazard, town_official, determine):
    with pytest.raises(StepForbidden, match="只有县安委办"):
        services.determine_major_hazard(
            actor=town_official,
            hazard_id=hazard.pk,
            list_number="X",
            determination_basis="会议",
            determined_on=days(0),
        )
    assert Hazard.objects.get(pk=hazard.pk).hazard_class == HazardClass.GENERAL


def test_duplicate_list_number_is_refused(report, determine):
    determine(report())
    second = report()
    with pytest.raises(ValidationError, match="已被使用"):
        determine(second)
    assert Hazard.objects.get(pk=second.pk).status == S.REPORTED


def test_major_hazard_cannot_apply_to_close_before_assignment(
    hazard, determine, enterprise_manager
):
    determine(hazard)
    with pytest.raises(StepNotAllowed):
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=hazard.pk, note="x", files=[evidence_photo()]
        )


def test_department_cannot_verify_a_major_hazard(
    progressed, enterprise_manager, county, png_upload
):
    from tests.factories import DepartmentUserFactory

    major = progressed

    supervisor = DepartmentUserFactory(organisation=county.other_department)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=major.pk, note="申请", files=[png_upload()]
    )
    with pytest.raises(StepForbidden, match="镇街或县安委办现场核查"):
        services.verify_rectification(
            actor=supervisor, hazard_id=major.pk, passed=True, opinion="通过"
        )


def test_extension_keeps_the_original_deadline(major, enterprise_manager, county_officer):
    original = Hazard.objects.get(pk=major.pk).deadline
    services.request_extension(
        actor=enterprise_manager,
        hazard_id=major.pk,
        requested_deadline=days(90),
        reason="设备到货延迟",
    )
    services.decide_extension(actor=county_officer, hazard_id=major.pk, approve=True, note="同意")
    hazard = Hazard.objects.get(pk=major.pk)
    assert hazard.deadline == days(90)
    assert hazard.original_deadline == original
    assert hazard.extensions.get().status == ExtensionStatus.APPROVED
    assert "hazard.extension_approved" in verbs(hazard)


def test_refused_extension_needs_a_reason_and_changes_nothing(
    major, enterprise_manager, county_officer
):
    services.request_extension(
        actor=enterprise_manager,
        hazard_id=major.pk,
        requested_deadline=days(90),
        reason="资金未到位",
    )
    with pytest.raises(ValidationError, match="写明理由"):
        services.decide_extension(actor=county_officer, hazard_id=major.pk, approve=False)
    services.decide_extension(
        actor=county_officer, hazard_id=major.pk, approve=False, note="理由不充分"
    )
    hazard = Hazard.objects.get(pk=major.pk)
    assert hazard.deadline == hazard.original_deadline
    assert hazard.extensions.get().status == ExtensionStatus.REFUSED


def test_extension_after_the_deadline_is_refused(major, enterprise_manager):
    Hazard.objects.filter(pk=major.pk).update(deadline=days(-1))
    with pytest.raises(StepNotAllowed, match="之前提出"):
        services.request_extension(
            actor=enterprise_manager, hazard_id=major.pk, requested_deadline=days(30), reason="晚了"
        )
    assert not major.extensions.exists()


def test_enterprise_cannot_approve_an_extension(major, enterprise_manager):
    services.request_extension(
        actor=enterprise_manager, hazard_id=major.pk, requested_deadline=days(90), reason="原因"
    )
    with pytest.raises(StepForbidden):
        services.decide_extension(actor=enterprise_manager, hazard_id=major.pk, approve=True)


def test_voided_hazard_stays_visible_to_the_county_office_only(
    hazard, county_officer, town_official
):
    with pytest.raises(ValidationError, match="作废原因"):
        services.void_hazard(actor=county_officer, hazard_id=hazard.pk, reason="")
    services.void_hazard(actor=county_officer, hazard_id=hazard.pk, reason="重复录入")
    assert verbs(hazard)[-1] == "hazard.voided"
    assert Hazard.objects.visible_to(county_officer).filter(pk=hazard.pk).exists()
    assert not Hazard.objects.visible_to(town_official).filter(pk=hazard.pk).exists()
    with pytest.raises(StepNotAllowed):
        services.void_hazard(actor=county_officer, hazard_id=hazard.pk, reason="再次")


def test_town_cannot_void(hazard, town_official):
    with pytest.raises(StepForbidden):
        services.void_hazard(actor=town_official, hazard_id=hazard.pk, reason="误录")
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED


def test_accountability_record_is_linked_and_audited(major, county_officer, county):
    record = services.record_accountability(
        actor=county_officer,
        hazard_id=major.pk,
        kind="interview",
        unit=county.xdk_build.name,
        decided_on=days(0),
        note="逾期未整改，约谈主要负责人",
    )
    assert record.hazard_id == major.pk
    assert "hazard.accountability_recorded" in verbs(major)


def test_bulletin_lists_new_overdue_and_closed_since_the_last_one(
    major, report, determine, county_officer, enterprise_manager, town_official
):
    first = services.generate_bulletin(actor=county_officer)
    assert [row["list_number"] for row in first.content["new"]] == ["LX-2026-001"]
    Hazard.objects.filter(pk=major.pk).update(deadline=days(-3))
    second = services.generate_bulletin(actor=county_officer)
    assert second.number == first.number + 1
    assert second.content["new"] == []  # the same day: nothing new since the first
    assert [row["id"] for row in second.content["overdue"]] == [major.pk]
    assert second.content["totals"] == {"listed": 1, "closed": 0, "open": 1}
    with pytest.raises(StepForbidden):
        services.generate_bulletin(actor=town_official)


def test_department_sees_hazards_it_supervises_on_a_slip(major, county, department_official):
    from tests.factories import DepartmentUserFactory

    supervisor = DepartmentUserFactory(organisation=county.other_department)
    assert Hazard.objects.visible_to(supervisor).filter(pk=major.pk).exists()
    # xdk_build is in industry B: 应急管理局 (industry A) does not see it
    assert not Hazard.objects.visible_to(department_official).filter(pk=major.pk).exists()


# --- deadline extensions: decisions, withdrawal ---------------------------------------


def test_extension_not_later_than_the_current_deadline_cannot_be_approved(
    major, enterprise_manager, county_officer
):
    services.request_extension(
        actor=enterprise_manager, hazard_id=major.pk, requested_deadline=days(70), reason="原因"
    )
    # the deadline moved on since the request (e.g. corrected by the office)
    Hazard.objects.filter(pk=major.pk).update(deadline=days(80))
    with pytest.raises(StepNotAllowed, match="不晚于当前整改期限"):
        services.decide_extension(actor=county_officer, hazard_id=major.pk, approve=True)
    hazard = Hazard.objects.get(pk=major.pk)
    assert hazard.deadline == days(80)
    assert hazard.extensions.get().status == ExtensionStatus.PENDING
    services.decide_extension(
        actor=county_officer, hazard_id=major.pk, approve=False, note="期限已调整"
    )
    assert hazard.extensions.get().status == ExtensionStatus.REFUSED


def test_assignment_withdraws_a_pending_extension_request(
    hazard, determine, assign, enterprise_manager
):
    determine(hazard)
    services.request_extension(
        actor=enterprise_manager, hazard_id=hazard.pk, requested_deadline=days(30), reason="原因"
    )
    assign(hazard, deadline=days(60))
    hazard = Hazard.objects.get(pk=hazard.pk)
    extension = hazard.extensions.get()
    assert extension.status == ExtensionStatus.WITHDRAWN
    assert "交办" in extension.decision_note
    assert hazard.deadline == days(60)
    assert "hazard.extension_withdrawn" in verbs(hazard)


def test_closing_withdraws_a_pending_extension_request(
    progressed, enterprise_manager, town_official, png_upload
):
    major = progressed
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=major.pk, note="申请销号", files=[png_upload()]
    )
    services.request_extension(
        actor=enterprise_manager, hazard_id=major.pk, requested_deadline=days(90), reason="以防万一"
    )
    services.verify_rectification(
        actor=town_official, hazard_id=major.pk, passed=True, opinion="合格"
    )
    assert major.extensions.get().status == ExtensionStatus.WITHDRAWN
    assert verbs(major)[-2:] == ["hazard.extension_withdrawn", "hazard.verified"]


def test_voiding_withdraws_a_pending_extension_request(major, enterprise_manager, county_officer):
    services.request_extension(
        actor=enterprise_manager, hazard_id=major.pk, requested_deadline=days(90), reason="原因"
    )
    services.void_hazard(actor=county_officer, hazard_id=major.pk, reason="重复录入")
    assert major.extensions.get().status == ExtensionStatus.WITHDRAWN
    assert "hazard.extension_withdrawn" in verbs(major)
    with pytest.raises(StepNotAllowed, match="没有待审批"):
        services.decide_extension(actor=county_officer, hazard_id=major.pk, approve=True)


def test_town_keeps_its_hazard_after_the_enterprise_moves_to_another_town(
    hazard, county, enterprise_manager, town_official, other_town_official
):
    from enterprises.models import Enterprise

    Enterprise.objects.filter(pk=county.xdk_build.pk).update(town=county.other_town)
    assert Hazard.objects.visible_to(town_official).filter(pk=hazard.pk).exists()
    assert not Hazard.objects.visible_to(other_town_official).filter(pk=hazard.pk).exists()
    with pytest.raises(Http404):
        services.start_rectification(actor=other_town_official, hazard_id=hazard.pk)
    services.start_rectification(actor=town_official, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    services.verify_rectification(
        actor=town_official, hazard_id=hazard.pk, passed=True, opinion="合格"
    )
    assert Hazard.objects.get(pk=hazard.pk).status == S.CLOSED


def test_verifier_must_not_have_recorded_progress_or_uploaded_evidence(
    major, county, enterprise_manager, town_official, county_officer, png_upload, client_for
):
    from tests.factories import TownUserFactory

    colleague = TownUserFactory(username="town_b", organisation=county.town)
    # the town official helped with the 台账; the colleague applied to close with evidence
    # first; the enterprise made the last application
    services.record_progress(
        actor=town_official, hazard_id=major.pk, entry_date=days(0), percent=50, note="代录进展"
    )
    services.submit_rectification(
        actor=colleague, hazard_id=major.pk, note="代为申请", files=[png_upload()]
    )
    services.verify_rectification(
        actor=county_officer, hazard_id=major.pk, passed=False, opinion="资料不全"
    )
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=major.pk, note="再次申请", files=[png_upload()]
    )
    # the town official recorded progress; the colleague submitted an earlier round (and
    # uploaded its evidence): the earlier-round rule names it first
    for insider, why in ((town_official, "登记过整改进展"), (colleague, "含此前各轮")):
        with pytest.raises(StepForbidden, match=why):
            services.verify_rectification(
                actor=insider, hazard_id=major.pk, passed=True, opinion="通过"
            )
    # the page tells the insider why there is no verification form
    page = client_for(town_official).get(f"/hazards/{major.pk}/").content.decode()
    assert 'data-testid="verify-refusal"' in page and "登记过整改进展" in page
    assert 'data-testid="form-verify"' not in page
    assert Hazard.objects.get(pk=major.pk).status == S.SUBMITTED
    services.verify_rectification(
        actor=county_officer, hazard_id=major.pk, passed=True, opinion="通过"
    )
    assert Hazard.objects.get(pk=major.pk).status == S.CLOSED


def test_accountability_is_refused_on_general_and_voided_hazards(
    hazard, major, report, county_officer, county
):
    values = {
        "kind": "interview",
        "unit": county.xdk_build.name,
        "decided_on": days(0),
        "note": "约谈主要负责人",
    }
    general = report()
    with pytest.raises(StepNotAllowed, match="只适用于重大事故隐患"):
        services.record_accountability(actor=county_officer, hazard_id=general.pk, **values)
    services.void_hazard(actor=county_officer, hazard_id=major.pk, reason="重复录入")
    with pytest.raises(StepNotAllowed, match="已作废"):
        services.record_accountability(actor=county_officer, hazard_id=major.pk, **values)
    assert not general.accountability.exists()
    assert not major.accountability.exists()


def test_bulletin_new_section_follows_when_entries_were_made_not_their_dates(
    major, report, determine, county_officer
):
    services.generate_bulletin(actor=county_officer)
    # determined at a meeting last week but entered after the first bulletin
    late = report(found_on=days(-10))
    determine(late, list_number="LX-2026-002", determined_on=days(-7))
    second = services.generate_bulletin(actor=county_officer)
    assert [row["list_number"] for row in second.content["new"]] == ["LX-2026-002"]
    third = services.generate_bulletin(actor=county_officer)
    assert third.content["new"] == []


@pytest.mark.parametrize(("when", "message"), [(1, "不能晚于今天"), (-3, "不能早于隐患发现日期")])
def test_determination_date_lies_between_found_on_and_today(hazard, determine, when, message):
    with pytest.raises(ValidationError, match=message) as error:
        determine(hazard, determined_on=days(when))
    assert "determined_on" in error.value.message_dict
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED


@pytest.mark.parametrize(("when", "message"), [(1, "不能晚于今天"), (-3, "不能早于隐患发现日期")])
def test_progress_date_lies_between_found_on_and_today(major, enterprise_manager, when, message):
    with pytest.raises(ValidationError, match=message) as error:
        services.record_progress(
            actor=enterprise_manager,
            hazard_id=major.pk,
            entry_date=days(when),
            percent=10,
            note="x",
        )
    assert "entry_date" in error.value.message_dict
    assert not major.progress_entries.exists()


def test_major_hazard_cannot_apply_to_close_without_a_progress_entry(
    major, enterprise_manager, town_official, png_upload, api_client_for
):
    """销号 needs the 台账: at least one progress entry, besides the evidence (409)."""
    with pytest.raises(StepNotAllowed, match="至少一条整改进展"):
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=major.pk, note="申请销号", files=[png_upload()]
        )
    response = api_client_for(enterprise_manager).post(
        f"/api/v1/hazards/{major.pk}/submit/",
        {"note": "申请销号", "files": [png_upload()]},
        format="multipart",
    )
    assert response.status_code == 409
    assert "至少一条整改进展" in response.json()["detail"]
    assert Hazard.objects.get(pk=major.pk).status == S.RECTIFYING
    services.record_progress(
        actor=enterprise_manager, hazard_id=major.pk, entry_date=days(0), percent=100, note="完成"
    )
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=major.pk, note="申请销号", files=[png_upload()]
    )
    assert Hazard.objects.get(pk=major.pk).status == S.SUBMITTED


def test_a_submitter_of_an_earlier_round_may_not_verify_the_resubmission(
    hazard, county, town_official, enterprise_manager, api_client_for, client_for
):
    """Round 1 submitted by the supervising department's official, failed
    by the town; round 2 submitted by the enterprise: the department official took part
    in a submission and may not verify, on the service, the API and the page."""
    from tests.factories import DepartmentUserFactory

    supervisor = DepartmentUserFactory(username="zjj", organisation=county.other_department)
    services.start_rectification(actor=supervisor, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=supervisor, hazard_id=hazard.pk, note="代为提交", files=[evidence_photo()]
    )
    services.verify_rectification(
        actor=town_official, hazard_id=hazard.pk, passed=False, opinion="未整改到位"
    )
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已补齐", files=[evidence_photo()]
    )
    with pytest.raises(StepForbidden, match="含此前各轮"):
        services.verify_rectification(
            actor=supervisor, hazard_id=hazard.pk, passed=True, opinion="通过"
        )
    response = api_client_for(supervisor).post(
        f"/api/v1/hazards/{hazard.pk}/verify/", {"passed": "1", "opinion": "通过"}, format="json"
    )
    assert response.status_code == 403
    page = client_for(supervisor).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="verify-refusal"' in page and "含此前各轮" in page
    assert Hazard.objects.get(pk=hazard.pk).status == S.SUBMITTED
    # someone who took no part verifies
    services.verify_rectification(
        actor=town_official, hazard_id=hazard.pk, passed=True, opinion="通过"
    )
    assert Hazard.objects.get(pk=hazard.pk).status == S.CLOSED
