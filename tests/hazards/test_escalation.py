"""The escalation ladder: once per step per hazard, one level per run."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from hazards import escalation
from hazards.models import Hazard
from hazards.tasks import escalate_hazards
from safetyportal.notifications.models import Notification
from tests.factories import CountyOfficerFactory, DepartmentUserFactory
from tests.hazards.conftest import days


@pytest.fixture
def people(county, county_officer, town_official, enterprise_manager):
    return {
        "enterprise": enterprise_manager,
        "town": town_official,
        "department": DepartmentUserFactory(organisation=county.other_department),
        "county": county_officer,
    }


def titles(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True)
    )


def test_reminder_then_one_level_per_run_and_nothing_twice(hazard, people):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(2))
    Notification.objects.all().delete()
    assert escalate_hazards.delay().get() == 1
    assert escalate_hazards.delay().get() == 0  # second run: nothing new
    assert len(titles(people["enterprise"])) == 1
    assert "即将到期" in titles(people["enterprise"])[0]

    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-30))
    for _ in range(5):
        escalate_hazards.delay()
    assert Hazard.objects.get(pk=hazard.pk).escalation_level == escalation.COUNTY
    assert len(titles(people["town"])) == 1
    assert len(titles(people["department"])) == 1
    county_titles = titles(people["county"])
    assert len(county_titles) == 1
    assert "拟约谈" in county_titles[0]
    body = Notification.objects.get(recipient=people["county"]).body
    assert "拟约谈名单" in body
    assert len(titles(people["enterprise"])) == 1


def test_escalation_climbs_one_level_at_a_time(hazard, people):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-30))
    escalate_hazards.delay()
    assert Hazard.objects.get(pk=hazard.pk).escalation_level == escalation.REMINDER
    # first seen already overdue: the level-1 notice says so
    [reminder] = titles(people["enterprise"])
    assert "已逾期 30 天" in reminder
    assert "即将到期" not in reminder
    escalate_hazards.delay()
    assert Hazard.objects.get(pk=hazard.pk).escalation_level == escalation.TOWN
    assert not titles(people["county"])


def test_escalation_days_are_settings(settings, hazard, people):
    settings.HAZARD_REMINDER_DAYS_BEFORE = 0
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(1))
    assert escalation.run_escalation(timezone.localdate()) == 0
    settings.HAZARD_REMINDER_DAYS_BEFORE = 5
    assert escalation.run_escalation(timezone.localdate()) == 1


def test_closed_and_submitted_hazards_do_not_escalate(hazard, people):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-30), status="submitted")
    assert escalation.run_escalation(timezone.localdate()) == 0


def test_a_lost_claim_sends_nothing(hazard, people):
    """Two workers: the second sees the level already claimed and sends nothing."""
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(1))
    escalation.run_escalation(timezone.localdate())
    Hazard.objects.filter(pk=hazard.pk).update(escalation_level=0)  # simulate a re-run race
    escalation.run_escalation(timezone.localdate())
    # the dedupe key still stops the duplicate notification
    assert len(titles(people["enterprise"])) == 1
    assert Hazard.objects.get(pk=hazard.pk).escalation_level == escalation.REMINDER


def test_approved_extension_restarts_the_ladder(major, people, county_officer):
    from hazards import services

    Hazard.objects.filter(pk=major.pk).update(deadline=days(1))
    escalation.run_escalation(timezone.localdate())
    services.request_extension(
        actor=people["enterprise"], hazard_id=major.pk, requested_deadline=days(2), reason="原因"
    )
    services.decide_extension(actor=county_officer, hazard_id=major.pk, approve=True)
    assert Hazard.objects.get(pk=major.pk).escalation_level == 0
    escalation.run_escalation(timezone.localdate() + datetime.timedelta(days=0))
    reminders = [t for t in titles(people["enterprise"]) if "即将到期" in t]
    assert len(reminders) == 2  # a new deadline, a new reminder


def test_periodic_schedule_is_declared():
    from safetyportal.core.schedules import PERIODIC_TASKS

    assert "hazards.tasks.escalate_hazards" in {entry["task"] for entry in PERIODIC_TASKS}


def test_second_county_officer_gets_the_draft_too(hazard, people, county):
    other = CountyOfficerFactory(username="county2", organisation=county.office)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-30), escalation_level=3)
    escalation.run_escalation(timezone.localdate())
    assert len(titles(other)) == 1


def test_each_claimed_level_is_on_the_hazards_timeline(hazard, people, client_for):
    from django.urls import reverse

    from safetyportal.audit.models import AuditEvent

    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-30))
    for _ in range(6):
        escalation.run_escalation(timezone.localdate())
    events = AuditEvent.objects.for_object(hazard).filter(verb="hazard.escalated").order_by("id")
    assert [event.payload["level"] for event in events] == [1, 2, 3, 4]
    assert "拟约谈" in events.last().payload["note"]
    page = client_for(people["county"]).get(reverse("hazards:detail", args=[hazard.pk]))
    assert "发出到期提醒或逾期督办" in page.content.decode()


def test_interview_draft_lists_hazards_long_overdue_before_the_ladder_reaches_the_county(
    hazard, people, client_for
):
    """拟约谈名单 showed 暂无 while hazards were 60+ days overdue: the list waited for the
    ladder's claimed level, which climbs one level a day (and never, where the task never
    ran). It follows the days overdue."""
    from django.urls import reverse

    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-60), escalation_level=0)
    page = client_for(people["county"]).get(reverse("hazards:interviews")).content.decode()
    assert hazard.code in page
    assert "暂无" in page.split('data-testid="escalation-gaps"')[1]  # no gap yet
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-3))
    page = client_for(people["county"]).get(reverse("hazards:interviews")).content.decode()
    assert hazard.code not in page


def test_a_level_nobody_receives_falls_through_and_is_listed(report, county, people, client_for):
    """An enterprise without an account: its reminder goes to the town in the same run, and
    the county office sees the gap. A department without users: on to the county office."""
    from django.urls import reverse

    from hazards.models import EscalationGap

    lonely = report(enterprise=county.xdk_chem, deadline=days(2))  # no enterprise account
    assert escalation.run_escalation(timezone.localdate()) == 1
    assert Hazard.objects.get(pk=lonely.pk).escalation_level == escalation.REMINDER
    assert any("即将到期" in t for t in titles(people["town"]))
    gap = EscalationGap.objects.get(hazard=lonely)
    assert (gap.level, gap.delivered_to_level) == (escalation.REMINDER, escalation.TOWN)
    # industry A's department (应急管理局) has no users in this county
    Hazard.objects.filter(pk=lonely.pk).update(deadline=days(-10), escalation_level=2)
    assert escalation.run_escalation(timezone.localdate()) == 1
    assert any("行业监管部门" in t for t in titles(people["county"]))
    assert EscalationGap.objects.filter(hazard=lonely, level=escalation.DEPARTMENT).exists()
    escalation.run_escalation(timezone.localdate())  # a re-run records nothing twice
    assert EscalationGap.objects.filter(hazard=lonely).count() == 2
    page = client_for(people["county"]).get(reverse("hazards:interviews")).content.decode()
    gaps = page.split('data-testid="escalation-gaps"')[1]
    assert lonely.code in gaps and "未开通账号" in gaps and "无可用账号" in gaps


def test_interview_page_costs_the_same_queries_for_1_and_8_rows(
    report, county, people, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from hazards.models import EscalationGap

    def add(n):
        for _ in range(n):
            h = report(enterprise=county.xdk_chem)
            Hazard.objects.filter(pk=h.pk).update(deadline=days(-40))
            EscalationGap.objects.create(hazard=h, level=1, deadline=days(-40))

    client = client_for(people["county"])
    url = reverse("hazards:interviews")
    add(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add(7)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    draft, gaps = page.content.decode().split('data-testid="escalation-gaps"')
    assert draft.split('data-testid="interview-draft"')[1].count("<tr><td>") == 8
    assert gaps.count("<tr><td>") == 8
