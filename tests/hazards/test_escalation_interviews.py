"""The county level of the escalation drafts a 约谈 for each major hazard it reaches
(issue 11 item 4): linked to the hazard, the enterprise summoned, the county office told;
once per hazard, level and deadline, in a constant number of queries. Against a fixed
date."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards import escalation
from hazards.models import Hazard, HazardClass
from responsibilities.interview_models import Interview, InterviewReason, InterviewStatus
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from tests.factories import CountyOfficerFactory
from tests.hazards.factories import HazardFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def _hazard(county, *, major=True, level=escalation.DEPARTMENT, overdue=30, enterprise=None):
    return HazardFactory(
        enterprise=enterprise or county.xdk_chem,
        hazard_class=HazardClass.MAJOR if major else HazardClass.GENERAL,
        found_on=TODAY - datetime.timedelta(days=90),
        deadline=TODAY - datetime.timedelta(days=overdue),
        escalation_level=level,
    )


def test_a_major_hazard_at_the_county_level_gets_one_draft(county, county_officer):
    hazard = _hazard(county)
    assert escalation.run_escalation(TODAY) == 1
    [interview] = Interview.objects.all()
    assert interview.status == InterviewStatus.DRAFT
    assert interview.reason_kind == InterviewReason.HAZARD_OVERDUE
    assert interview.reason_object == hazard
    assert interview.summoned_object == county.xdk_chem
    assert interview.summoned_name == county.xdk_chem.name
    assert interview.summoning_unit == county.office
    assert interview.date == TODAY
    assert interview.feedback_due == TODAY + datetime.timedelta(days=7)
    assert "逾期 30 天" in interview.reason_text
    event = AuditEvent.objects.get(verb="interview.drafted")
    assert event.actor is None and event.target_id == interview.pk
    notice = Notification.objects.get(recipient=county_officer, title__startswith="已拟约谈")
    assert notice.url == reverse("responsibilities:interview_detail", args=[interview.pk])

    # a second run (and a third) drafts nothing new and tells nobody again
    assert escalation.run_escalation(TODAY) == 0
    escalation.draft_interviews_for([hazard.pk], TODAY)  # even when asked again directly
    assert Interview.objects.count() == 1
    assert Notification.objects.filter(title__startswith="已拟约谈").count() == 1


def test_general_hazards_and_lower_levels_draft_nothing(county, county_officer):
    _hazard(county, major=False)  # general: county notice only
    _hazard(county, level=escalation.TOWN)  # major, climbs to the department level only
    assert escalation.run_escalation(TODAY) == 2
    assert not Interview.objects.exists()
    assert not Notification.objects.filter(title__startswith="已拟约谈").exists()


def test_an_extension_starts_a_new_ladder_and_a_new_draft(county, county_officer):
    hazard = _hazard(county)
    escalation.run_escalation(TODAY)
    # extended, then overdue again: the ladder restarts with the new deadline
    Hazard.objects.filter(pk=hazard.pk).update(
        deadline=TODAY - datetime.timedelta(days=20), escalation_level=escalation.DEPARTMENT
    )
    escalation.run_escalation(TODAY)
    assert (
        Interview.objects.filter(
            reason_type=ContentType.objects.get_for_model(Hazard), reason_id=hazard.pk
        ).count()
        == 2
    )


def test_no_office_in_the_tree_drafts_nothing(county, county_officer):
    county.office.is_active = False
    county.office.save(update_fields=["is_active"])
    _hazard(county)
    assert escalation.run_escalation(TODAY) == 1  # the level is still claimed and notified
    assert not Interview.objects.exists()


def _sweep_queries(county, n: int) -> int:
    hazards = [
        _hazard(county, enterprise=e) for e in (county.xdk_chem, county.ly_chem)[: min(n, 2)]
    ]
    hazards += [_hazard(county) for _ in range(n - len(hazards))]
    with CaptureQueriesContext(connection) as ctx:
        escalation.draft_interviews_for([h.pk for h in hazards], TODAY)
    return len(ctx)


def test_drafting_queries_do_not_grow_with_the_hazards(county, county_officer):
    CountyOfficerFactory(username="county2", organisation=county.office)
    few = _sweep_queries(county, 1)
    many = _sweep_queries(county, 6)
    assert many == few
    assert Interview.objects.count() == 7
