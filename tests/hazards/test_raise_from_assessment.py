"""A failed self-assessment item becomes a hazard in one step, linked both ways (the
hazards app's side of the self-assessment: hazards/assessment_services.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enterprises.assessment import services
from hazards.assessment_services import raise_hazard_from_assessment_answer
from hazards.models import Hazard, HazardSource
from safetyportal.audit.models import AuditEvent
from tests.enterprises.assessment.inputs import save_answers
from tests.enterprises.factories_duties import PeriodFactory, small_template

DEADLINE = datetime.date(2027, 1, 31)


@pytest.fixture
def assessment(county, enterprise_manager):
    small_template()
    assessment = services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=PeriodFactory(year=2026)
    )
    ids = dict(assessment.answers.values_list("code", "pk"))
    scores = {"A1": "10", "B1": "5.5", "G1": "8", "G2": "6"}  # B1 fails (< 6 of 10)
    save_answers(
        actor=enterprise_manager,
        assessment=assessment,
        answers={ids[c]: {"score": s} for c, s in scores.items()},
        submit=True,
    )
    return assessment


def answer(assessment, code):
    return assessment.answers.get(code=code)


def test_town_official_turns_a_failed_item_into_a_linked_hazard(assessment, town_official):
    failed = answer(assessment, "B1")
    hazard = raise_hazard_from_assessment_answer(
        actor=town_official, answer_id=failed.pk, deadline=DEADLINE
    )
    failed.refresh_from_db()
    assert failed.hazard == hazard
    assert list(hazard.assessment_answers.all()) == [failed]
    assert hazard.enterprise == assessment.enterprise
    assert "B1" in hazard.description
    assert hazard.source == HazardSource.SELF_CHECK  # the enterprise's own check found it
    assert AuditEvent.objects.filter(verb="assessment.hazard_raised").count() == 1


def test_an_item_becomes_a_hazard_only_once(assessment, town_official):
    failed = answer(assessment, "B1")
    raise_hazard_from_assessment_answer(actor=town_official, answer_id=failed.pk, deadline=DEADLINE)
    with pytest.raises(ValidationError):
        raise_hazard_from_assessment_answer(
            actor=town_official, answer_id=failed.pk, deadline=DEADLINE
        )
    assert Hazard.objects.count() == 1


def test_a_passing_item_cannot_become_a_hazard(assessment, town_official):
    with pytest.raises(ValidationError) as error:
        raise_hazard_from_assessment_answer(
            actor=town_official,
            answer_id=answer(assessment, "G2").pk,
            deadline=DEADLINE,
        )
    assert "不是未达标项目" in error.value.messages[0]
    assert not Hazard.objects.exists()


def test_other_town_cannot_raise_a_hazard(assessment, other_town_official):
    with pytest.raises(PermissionDenied):
        raise_hazard_from_assessment_answer(
            actor=other_town_official,
            answer_id=answer(assessment, "B1").pk,
            deadline=DEADLINE,
        )
    assert not Hazard.objects.exists()


def test_raise_hazard_view_allowed_forbidden_wrong_method(
    assessment, town_official, other_town_official, leader, client_for
):
    url = reverse("hazards:raise_from_assessment", args=[answer(assessment, "B1").pk])
    assert client_for(town_official).get(url).status_code == 405
    assert client_for(other_town_official).post(url, {"deadline": "2027-01-31"}).status_code == 404
    assert client_for(leader).post(url, {"deadline": "2027-01-31"}).status_code == 403
    response = client_for(town_official).post(url, {"deadline": "不是日期"}, follow=True)
    assert "请填写整改期限" in response.content.decode()
    assert not Hazard.objects.exists()
    assert client_for(town_official).post(url, {"deadline": "2027-01-31"}).status_code == 302
    assert Hazard.objects.count() == 1
    page = client_for(town_official).get(
        reverse("enterprises:assessment_detail", args=[assessment.pk])
    )
    assert 'data-testid="hazard-link-B1"' in page.content.decode()


def test_the_hazard_page_links_back_to_the_assessment_item(assessment, town_official, client_for):
    failed = answer(assessment, "B1")
    hazard = raise_hazard_from_assessment_answer(
        actor=town_official, answer_id=failed.pk, deadline=DEADLINE
    )
    page = client_for(town_official).get(f"/hazards/{hazard.pk}/").content.decode()
    assert f"/enterprises/assessments/{assessment.pk}/" in page
    assert "来自自评" in page and "B1" in page


def test_the_assessment_page_posts_a_failed_item_to_the_hazards_url(
    assessment, town_official, leader, client_for
):
    action = reverse("hazards:raise_from_assessment", args=[answer(assessment, "B1").pk])
    page = reverse("enterprises:assessment_detail", args=[assessment.pk])
    assert f'action="{action}"' in client_for(town_official).get(page).content.decode()
    assert action not in client_for(leader).get(page).content.decode()  # may not raise


def test_the_enterprise_raises_its_own_failed_item_as_a_self_check(assessment, enterprise_manager):
    hazard = raise_hazard_from_assessment_answer(
        actor=enterprise_manager, answer_id=answer(assessment, "B1").pk, deadline=DEADLINE
    )
    assert hazard.source == HazardSource.SELF_CHECK
    event = AuditEvent.objects.get(verb="assessment.hazard_raised")
    assert event.payload == {"item": "B1", "hazard_id": hazard.pk, "hazard": str(hazard)}
