"""The responsible unit's written explanation (书面说明), 督办 on an overdue hazard, the
overdue list's days and ladder level, stale notices and send-back reasons (issue 8, 9 and 18)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hazards import services
from hazards.models import Hazard, SupervisionOrder, WrittenExplanation
from hazards.models import HazardStatus as S
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from tests.factories import evidence_photo
from tests.hazards.conftest import days


def step(hazard, name):
    return reverse("hazards:step", args=[hazard.pk, name])


def unread(user):
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
            "title", flat=True
        )
    )


@pytest.fixture
def failed(hazard, enterprise_manager, town_official, django_capture_on_commit_callbacks):
    """A general hazard whose rectification the town sent back."""
    with django_capture_on_commit_callbacks(execute=True):
        services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
        )
        services.verify_rectification(
            actor=town_official, hazard_id=hazard.pk, passed=False, opinion="连墙件间距仍超标"
        )
    return hazard


# --- 9. 书面说明 ---------------------------------------------------------------------------


def test_enterprise_explains_a_failed_verification_to_the_assigning_unit(
    failed,
    client_for,
    enterprise_manager,
    county_officer,
    town_official,
    django_capture_on_commit_callbacks,
):
    url = step(failed, "explain")
    assert client_for(enterprise_manager).get(url).status_code == 405
    page = client_for(enterprise_manager).get(f"/hazards/{failed.pk}/").content.decode()
    assert 'data-testid="form-explain"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(enterprise_manager).post(
            url, {"explain-text": "原设计间距有误，已请设计单位出变更，10日内完成"}
        )
    assert response.status_code == 302
    explanation = WrittenExplanation.objects.get(hazard=failed)
    assert (explanation.reason, explanation.submitted_by) == (
        "verification_failed",
        enterprise_manager,
    )
    page = client_for(town_official).get(f"/hazards/{failed.pk}/").content.decode()
    assert 'data-testid="explanations"' in page and "原设计间距有误" in page
    assert AuditEvent.objects.for_object(failed).filter(verb="hazard.explanation_submitted")
    assert any("书面说明" in t for t in unread(county_officer))
    assert any("书面说明" in t for t in unread(town_official))


def test_town_explains_an_overdue_major_hazard_and_the_county_office_hears(
    major, town_official, county_officer, api_client_for, django_capture_on_commit_callbacks
):
    client = api_client_for(town_official)
    url = f"/api/v1/hazards/{major.pk}/explain/"
    # not overdue, not sent back: nothing is owed (409)
    response = client.post(url, {"text": "说明"}, format="json")
    assert response.status_code == 409
    assert "才需向交办单位提交书面说明" in response.json()["detail"]
    Hazard.objects.filter(pk=major.pk).update(deadline=days(-3))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "资金未到位，已协调镇财政"}, format="json")
    assert response.status_code == 200, response.json()
    assert WrittenExplanation.objects.get(hazard=major).reason == "overdue"
    assert any("书面说明" in t for t in unread(county_officer))


def test_explanation_is_for_the_responsible_unit_and_its_town_only(
    failed, api_client_for, client_for, county, county_officer, leader
):
    from tests.factories import DepartmentUserFactory

    supervisor = DepartmentUserFactory(organisation=county.other_department)
    response = api_client_for(supervisor).post(
        f"/api/v1/hazards/{failed.pk}/explain/", {"text": "x"}, format="json"
    )
    assert response.status_code == 403
    assert "书面说明由隐患单位" in response.json()["detail"]
    assert (
        client_for(county_officer).post(step(failed, "explain"), {"explain-text": "x"}).status_code
        == 403
    )
    assert (
        client_for(leader).post(step(failed, "explain"), {"explain-text": "x"}).status_code == 403
    )
    assert not WrittenExplanation.objects.exists()


# --- 18. 督办, the overdue list, stale notices --------------------------------------------


def test_leader_supervises_an_overdue_hazard(
    hazard,
    client_for,
    leader,
    enterprise_manager,
    town_official,
    django_capture_on_commit_callbacks,
):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-9), escalation_level=2)
    url = step(hazard, "supervise")
    assert client_for(leader).get(url).status_code == 405
    page = client_for(leader).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="form-supervise"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            url, {"supervise-demand": "三日内完成整改并报告", "supervise-respond_by": days(3)}
        )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get(hazard=hazard)
    assert (order.issued_by, order.days_overdue, order.escalation_level) == (leader, 9, 2)
    assert order.respond_by == days(3)
    event = AuditEvent.objects.for_object(hazard).get(verb="hazard.supervised")
    assert "三日内完成整改" in event.payload["note"]
    for user in (enterprise_manager, town_official):
        notice = Notification.objects.get(recipient=user, title__startswith="督办")
        assert "已逾期 9 天" in notice.title and "三日内完成整改" in notice.body
    page = client_for(town_official).get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="supervisions"' in page and "三日内完成整改" in page


def test_supervise_is_for_leaders_and_the_county_office_on_overdue_hazards(
    hazard, client_for, town_official, county_officer, enterprise_manager
):
    url = step(hazard, "supervise")
    data = {"supervise-demand": "立即整改"}
    response = client_for(county_officer).post(url, data)
    assert response.status_code == 409  # not overdue
    assert "尚未逾期" in response.content.decode()
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-1))
    assert client_for(town_official).post(url, data).status_code == 403
    assert client_for(enterprise_manager).post(url, data).status_code == 403
    assert not SupervisionOrder.objects.exists()
    assert client_for(county_officer).post(url, data).status_code == 302
    assert SupervisionOrder.objects.count() == 1


def test_overdue_list_shows_days_overdue_and_the_ladder_level(hazard, client_for, leader):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-12), escalation_level=3)
    page = client_for(leader).get(reverse("hazards:list") + "?overdue=true").content.decode()
    assert "逾期 12 天" in page
    assert "已督办到行业部门" in page
    home = client_for(leader).get("/").content.decode()
    assert 'data-testid="todo-supervise"' in home


def test_a_verified_hazard_no_longer_asks_anyone_to_verify_it(
    hazard, enterprise_manager, town_official, county, django_capture_on_commit_callbacks
):
    """Two town officials are asked to verify; one does it: the other's "请核查" is handled."""
    from tests.factories import TownUserFactory

    colleague = TownUserFactory(username="town_b", organisation=county.town)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
        )
    assert any("请核查" in t for t in unread(colleague))
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_rectification(
            actor=town_official, hazard_id=hazard.pk, passed=True, opinion="合格"
        )
    assert not any("请核查" in t for t in unread(colleague))
    assert not any("请核查" in t for t in unread(town_official))


def test_a_send_back_notice_carries_the_reason(failed, enterprise_manager):
    notice = Notification.objects.get(recipient=enterprise_manager, title__contains="核查未通过")
    assert "连墙件间距仍超标" in notice.title
    assert "连墙件间距仍超标" in notice.body


def test_a_resubmission_handles_the_send_back_notice(
    failed, enterprise_manager, django_capture_on_commit_callbacks
):
    assert any("核查未通过" in t for t in unread(enterprise_manager))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_rectification(
            actor=enterprise_manager, hazard_id=failed.pk, note="再改", files=[evidence_photo()]
        )
    assert not any("核查未通过" in t for t in unread(enterprise_manager))
    assert Hazard.objects.get(pk=failed.pk).status == S.SUBMITTED


def test_a_refused_extension_tells_the_requester_why(
    major, enterprise_manager, county_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_extension(
            actor=enterprise_manager,
            hazard_id=major.pk,
            requested_deadline=days(90),
            reason="等设备",
        )
    assert any("申请延期" in t for t in unread(county_officer))
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_extension(
            actor=county_officer, hazard_id=major.pk, approve=False, note="设备可租用，不予延期"
        )
    assert not any("申请延期" in t for t in unread(county_officer))
    notice = Notification.objects.get(recipient=enterprise_manager, title__contains="不予批准")
    assert "设备可租用" in notice.body
