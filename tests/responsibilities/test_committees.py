"""专委会 and their meetings (issue 11 item 3): recording a meeting (who may, bad input
refused in Chinese with nothing saved), the pages by role, and constant query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from responsibilities import committee_services, duty_services
from responsibilities.committee_models import CommitteeMeeting, CommitteeMeetingKind
from responsibilities.models import CommitteeMembership, OrganisationKind
from safetyportal.audit.models import AuditEvent
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(county):
    """The 危化品专委会: 应急管理局 leads, 小渡口镇 is a member; 住建局 is not."""
    committee = OrganisationFactory(
        code="WHP", name="危险化学品专委会", kind=OrganisationKind.COMMITTEE
    )
    CommitteeMembership.objects.create(committee=committee, member=county.department, is_lead=True)
    CommitteeMembership.objects.create(committee=committee, member=county.town)
    return committee


def _record(actor, committee, county, **overrides):
    data = {
        "committee_id": committee.pk,
        "held_on": timezone.localdate() - datetime.timedelta(days=1),
        "kind": CommitteeMeetingKind.ANALYSIS,
        "topic": "汛期危化品运输风险会商",
        "minutes": "分析研判了汛期风险。",
        "attendees": [county.department, county.town],
        "decisions": "加强夜间巡查。",
    }
    return committee_services.record_committee_meeting(actor=actor, **(data | overrides))


def _form(county, **overrides):
    data = {
        "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "kind": "regular",
        "topic": "季度例会",
        "minutes": "通报了一季度情况。",
        "attendees": [county.department.pk],
        "decisions": "",
    }
    return data | overrides


def test_county_office_and_lead_unit_record(committee, county, county_officer, department_official):
    first = _record(county_officer, committee, county)
    second = _record(department_official, committee, county, topic="专题会议")
    assert set(first.attendees.values_list("pk", flat=True)) == {
        county.department.pk,
        county.town.pk,
    }
    assert second.recorded_by == department_official
    assert AuditEvent.objects.filter(verb="committee_meeting.recorded").count() == 2


def test_others_may_not_record(
    committee, county, leader, town_official, other_town_official, enterprise_manager, expert
):
    # 小渡口镇 is a member but not the lead; leaders only read
    for user in (leader, town_official, other_town_official, enterprise_manager, expert):
        with pytest.raises(PermissionDenied):
            _record(user, committee, county)
    assert not CommitteeMeeting.objects.exists()
    assert not AuditEvent.objects.filter(verb="committee_meeting.recorded").exists()


def test_future_date_and_non_member_refused(committee, county, county_officer):
    with pytest.raises(ValidationError) as future:
        _record(
            county_officer,
            committee,
            county,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "不能晚于今天" in str(future.value)
    with pytest.raises(ValidationError) as outsider:
        _record(county_officer, committee, county, attendees=[county.other_department])
    assert "成员单位" in str(outsider.value)
    assert not CommitteeMeeting.objects.exists()
    assert not AuditEvent.objects.filter(verb="committee_meeting.recorded").exists()


def test_record_page_allowed_forbidden_wrong_method(
    committee, county, client_for, department_official, town_official, leader
):
    url = reverse("responsibilities:committee_meeting_record", args=[committee.pk])
    response = client_for(department_official).post(url, _form(county))
    assert response.status_code == 302
    assert CommitteeMeeting.objects.count() == 1
    for user in (town_official, leader):
        assert client_for(user).post(url, _form(county)).status_code == 403
    assert client_for(department_official).get(url).status_code == 405
    assert CommitteeMeeting.objects.count() == 1


def test_record_page_bad_input_nothing_saved(committee, county, client_for, county_officer):
    url = reverse("responsibilities:committee_meeting_record", args=[committee.pk])
    client = client_for(county_officer)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, _form(county, held_on=future))
    assert response.status_code == 400
    response = client.post(url, _form(county, attendees=[county.other_department.pk]))
    assert response.status_code == 400
    assert not CommitteeMeeting.objects.exists()


def test_pages_by_role(
    committee,
    county,
    client_for,
    county_officer,
    leader,
    department_official,
    town_official,
    other_town_official,
    enterprise_manager,
    expert,
):
    _record(county_officer, committee, county)
    index = reverse("responsibilities:committees")
    detail = reverse("responsibilities:committee_detail", args=[committee.pk])
    for user in (county_officer, leader, department_official, town_official, other_town_official):
        client = client_for(user)
        assert client.get(index).status_code == 200
        page = client.get(detail)
        assert page.status_code == 200
        assert "汛期危化品运输风险会商" in page.content.decode()
        has_form = page.context["form"] is not None
        assert has_form == (user in (county_officer, department_official))
    for user in (enterprise_manager, expert):
        assert client_for(user).get(index).status_code == 403
        assert client_for(user).get(detail).status_code == 403
    not_committee = reverse("responsibilities:committee_detail", args=[county.town.pk])
    assert client_for(county_officer).get(not_committee).status_code == 404
    assert client_for(county_officer).post(index).status_code == 405


def test_detail_lists_lead_first_and_links_duty_list(committee, county, client_for, county_officer):
    duty_list = duty_services.create_duty_list(
        actor=county_officer, year=timezone.localdate().year, owner=committee
    )
    response = client_for(county_officer).get(
        reverse("responsibilities:committee_detail", args=[committee.pk])
    )
    members = [m.member for m in response.context["members"]]
    assert members[0] == county.department
    assert reverse("responsibilities:duty_list", args=[duty_list.pk]) in response.content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_constant(committee, county, client_for, county_officer):
    client = client_for(county_officer)
    index = reverse("responsibilities:committees")
    detail = reverse("responsibilities:committee_detail", args=[committee.pk])
    _record(county_officer, committee, county)
    before = (_count(client, index), _count(client, detail))
    other = OrganisationFactory(code="JZ", name="建筑施工专委会", kind=OrganisationKind.COMMITTEE)
    CommitteeMembership.objects.create(
        committee=other, member=county.other_department, is_lead=True
    )
    CommitteeMembership.objects.create(committee=committee, member=county.other_town)
    for n in range(4):
        _record(county_officer, committee, county, topic=f"会议 {n}", attendees=[county.other_town])
    _record(county_officer, other, county, attendees=[county.other_department])
    after = (_count(client, index), _count(client, detail))
    assert before == after
    response = client.get(index)
    rows = {c.code: c for c in response.context["page"]}
    assert rows["WHP"].member_count == 3
    assert rows["WHP"].last_meeting == timezone.localdate() - datetime.timedelta(days=1)
