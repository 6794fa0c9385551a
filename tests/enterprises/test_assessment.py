"""The self-assessment workflow: start, fill, submit, review; versions; visibility; the
not-submitted list and due reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enterprises import assessment_services as services
from enterprises.assessment import AssessmentStatus, Grade, SelfAssessment, grade_for
from enterprises.reference import load_assessment_template
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from tests.enterprises.factories_duties import (
    PeriodFactory,
    fake_pdf_upload,
    pdf_upload,
    small_template,
)
from tests.factories import EnterpriseFactory, EnterpriseUserFactory


@pytest.fixture
def template(db):
    return small_template()


@pytest.fixture
def period(db):
    return PeriodFactory(year=2026)


@pytest.fixture
def assessment(county, enterprise_manager, template, period):
    return services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=period
    )


def answer_ids(assessment) -> dict[str, int]:
    return dict(assessment.answers.values_list("code", "pk"))


def fill(assessment, scores: dict[str, str]) -> dict[int, dict]:
    ids = answer_ids(assessment)
    return {
        ids[code]: {"score": score, "note": "", "not_applicable": False}
        for code, score in scores.items()
    }


def submitted(assessment, manager, scores=None):
    scores = scores or {"A1": "10", "B1": "9", "G1": "8", "G2": "4"}
    return services.save_answers(
        actor=manager, assessment=assessment, answers=fill(assessment, scores), submit=True
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("90", Grade.FIRST),
        ("89.9", Grade.SECOND),
        ("75", Grade.SECOND),
        ("60", Grade.THIRD),
        ("59.9", Grade.FAIL),
    ],
)
def test_grade_thresholds(total, grade):
    assert grade_for(Decimal(total)) == grade


def test_shipped_template_loads_with_seven_areas_and_100_points(db):
    load_assessment_template()
    load_assessment_template()  # idempotent
    from enterprises.assessment import AssessmentTemplate

    template = AssessmentTemplate.objects.get(version=1)
    items = list(template.items.all())
    assert sum(i.points for i in items) == 100
    assert len({i.area for i in items}) == 7


def test_start_copies_items_and_a_new_version_changes_nothing(assessment, template):
    item = template.items.get(code="A1")
    item.requirement = "改过的要求"
    item.points = 20
    item.save()
    answer = assessment.answers.get(code="A1")
    assert answer.requirement != "改过的要求" and answer.points == 10
    assert AuditEvent.objects.filter(verb="assessment.started").count() == 1


def test_starting_twice_returns_the_same_assessment(assessment, county, enterprise_manager, period):
    again = services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=period
    )
    assert again.pk == assessment.pk


def test_town_official_cannot_start_an_enterprises_assessment(
    county, town_official, template, period
):
    with pytest.raises(PermissionDenied):
        services.start_assessment(actor=town_official, enterprise=county.xdk_build, period=period)


def test_submit_computes_total_grade_and_notifies_the_town(
    assessment, enterprise_manager, town_official
):
    result = submitted(assessment, enterprise_manager)
    assert result.status == AssessmentStatus.SUBMITTED
    assert result.total == Decimal("77.5")  # 31 of 40
    assert result.grade == Grade.SECOND
    assert Notification.objects.filter(recipient=town_official).count() == 1


def test_not_applicable_items_are_left_out_of_the_total(assessment, enterprise_manager):
    answers = fill(assessment, {"A1": "10", "B1": "10", "G1": "10", "G2": ""})
    answers[answer_ids(assessment)["G2"]]["not_applicable"] = True
    result = services.save_answers(
        actor=enterprise_manager, assessment=assessment, answers=answers, submit=True
    )
    assert result.total == Decimal("100.0")


def test_submit_with_unscored_items_is_refused_and_names_them(assessment, enterprise_manager):
    with pytest.raises(ValidationError) as error:
        services.save_answers(
            actor=enterprise_manager,
            assessment=assessment,
            answers=fill(assessment, {"A1": "10"}),
            submit=True,
        )
    assert "B1" in error.value.messages[0]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.answers.get(code="A1").score is None  # nothing saved


@pytest.mark.parametrize("bad", ["11", "-1", "abc", "3.3", "NaN"])
def test_bad_scores_are_refused_and_nothing_is_saved(assessment, enterprise_manager, bad):
    with pytest.raises(ValidationError) as error:
        services.save_answers(
            actor=enterprise_manager,
            assessment=assessment,
            answers=fill(assessment, {"A1": "5", "B1": bad}),
        )
    assert "B1" in error.value.messages[0]
    assert assessment.answers.get(code="A1").score is None


def test_evidence_is_checked_by_content(assessment, enterprise_manager):
    ids = answer_ids(assessment)
    with pytest.raises(ValidationError):
        services.save_answers(
            actor=enterprise_manager,
            assessment=assessment,
            answers={},
            evidence={ids["A1"]: [fake_pdf_upload()]},
        )
    services.save_answers(
        actor=enterprise_manager,
        assessment=assessment,
        answers={},
        evidence={ids["A1"]: [pdf_upload()]},
    )
    assert assessment.answers.get(code="A1").evidence.count() == 1


def test_review_adjustment_needs_a_reason(assessment, enterprise_manager, town_official):
    submitted(assessment, enterprise_manager)
    ids = answer_ids(assessment)
    with pytest.raises(ValidationError) as error:
        services.review_assessment(
            actor=town_official,
            assessment=assessment,
            adjustments={ids["A1"]: {"score": "5"}},
            accept=True,
        )
    assert "调整理由" in error.value.messages[0]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_accept_with_an_adjustment_recomputes_and_records_it(
    assessment, enterprise_manager, town_official
):
    submitted(assessment, enterprise_manager)
    ids = answer_ids(assessment)
    result = services.review_assessment(
        actor=town_official,
        assessment=assessment,
        adjustments={ids["A1"]: {"score": "4", "reason": "责任制未覆盖劳务派遣人员"}},
        accept=True,
    )
    assert result.status == AssessmentStatus.ACCEPTED
    assert result.total == Decimal("62.5")  # 25 of 40
    assert result.grade == Grade.THIRD
    event = AuditEvent.objects.get(verb="assessment.accepted")
    assert event.payload["adjustments"][0]["reason"] == "责任制未覆盖劳务派遣人员"
    assert Notification.objects.filter(recipient__enterprise=assessment.enterprise).count() == 1


def test_return_needs_a_note_and_reopens_for_editing(assessment, enterprise_manager, town_official):
    submitted(assessment, enterprise_manager)
    with pytest.raises(ValidationError):
        services.review_assessment(
            actor=town_official, assessment=assessment, adjustments={}, accept=False
        )
    result = services.review_assessment(
        actor=town_official,
        assessment=assessment,
        adjustments={},
        accept=False,
        note="请补充演练记录",
    )
    assert result.status == AssessmentStatus.RETURNED
    assert result.is_editable
    submitted(assessment, enterprise_manager)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_submitted_assessment_cannot_be_edited(assessment, enterprise_manager):
    submitted(assessment, enterprise_manager)
    with pytest.raises(ValidationError):
        services.save_answers(
            actor=enterprise_manager, assessment=assessment, answers=fill(assessment, {"A1": "1"})
        )


@pytest.mark.parametrize("persona", ["other_town_official", "leader", "expert"])
def test_only_the_enterprises_reviewers_may_review(
    persona, request, assessment, enterprise_manager
):
    submitted(assessment, enterprise_manager)
    with pytest.raises(PermissionDenied):
        services.review_assessment(
            actor=request.getfixturevalue(persona),
            assessment=assessment,
            adjustments={},
            accept=True,
        )


def test_department_supervising_the_industry_may_review(
    county, template, period, department_official
):
    manager = EnterpriseUserFactory(enterprise=county.xdk_chem)
    assessment = services.start_assessment(actor=manager, enterprise=county.xdk_chem, period=period)
    submitted(assessment, manager)
    result = services.review_assessment(
        actor=department_official, assessment=assessment, adjustments={}, accept=True
    )
    assert result.status == AssessmentStatus.ACCEPTED


# --- views -------------------------------------------------------------------------------


def test_start_view_needs_post_and_an_enterprise_user(
    county, enterprise_manager, town_official, client_for, template
):
    url = reverse("enterprises:assessment_start")
    assert client_for(enterprise_manager).get(url).status_code == 405
    assert client_for(town_official).post(url).status_code == 403
    response = client_for(enterprise_manager).post(url)
    assert response.status_code == 302
    assert SelfAssessment.objects.filter(enterprise=county.xdk_build).count() == 1


def test_start_view_without_a_template_says_so(county, enterprise_manager, client_for):
    response = client_for(enterprise_manager).post(
        reverse("enterprises:assessment_start"), follow=True
    )
    assert "尚未发布自评模板" in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_save_view_submits_and_bad_input_keeps_data(assessment, enterprise_manager, client_for):
    ids = answer_ids(assessment)
    client = client_for(enterprise_manager)
    url = reverse("enterprises:assessment_save", args=[assessment.pk])
    assert client.get(url).status_code == 405
    bad = {f"score_{ids['A1']}": "99", "action": "save"}
    response = client.post(url, bad, follow=True)
    assert "应在0到10分之间" in response.content.decode()
    assert assessment.answers.get(code="A1").score is None
    data = {f"score_{pk}": "8" for pk in ids.values()} | {"action": "submit"}
    client.post(url, data)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["town_official", "county_officer"])
def test_save_view_forbids_officials(persona, request, assessment, client_for):
    url = reverse("enterprises:assessment_save", args=[assessment.pk])
    assert (
        client_for(request.getfixturevalue(persona)).post(url, {"action": "submit"}).status_code
        == 403
    )


def test_review_view_allowed_forbidden_and_wrong_method(
    assessment, enterprise_manager, town_official, other_town_official, client_for
):
    submitted(assessment, enterprise_manager)
    url = reverse("enterprises:assessment_review", args=[assessment.pk])
    assert client_for(town_official).get(url).status_code == 405
    assert client_for(other_town_official).post(url, {"decision": "accept"}).status_code == 404
    assert client_for(enterprise_manager).post(url, {"decision": "accept"}).status_code == 403
    assert client_for(town_official).post(url, {"decision": "accept"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("enterprise_manager", True),
        ("town_official", True),
        ("county_officer", True),
        ("leader", True),
        ("department_official", False),
        ("other_town_official", False),
        ("expert", False),
        ("outsider", False),
    ],
)
def test_assessment_visibility_per_role(persona, visible, request, assessment, client_for):
    client = client_for(request.getfixturevalue(persona))
    detail = client.get(reverse("enterprises:assessment_detail", args=[assessment.pk]))
    assert detail.status_code == (200 if visible else 404)
    listing = client.get(reverse("enterprises:assessment_list")).content.decode()
    assert (assessment.enterprise.name in listing) == visible


def test_evidence_download_is_access_checked(
    assessment, enterprise_manager, other_town_official, client_for
):
    ids = answer_ids(assessment)
    services.save_answers(
        actor=enterprise_manager,
        assessment=assessment,
        answers={},
        evidence={ids["A1"]: [pdf_upload()]},
    )
    evidence = assessment.answers.get(code="A1").evidence.get()
    url = reverse("enterprises:assessment_evidence", args=[assessment.pk, evidence.pk])
    response = client_for(enterprise_manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # closes the file
    assert client_for(other_town_official).get(url).status_code == 404


def test_assessment_list_costs_the_same_queries_for_more_rows(
    county, county_officer, template, period, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    url = reverse("enterprises:assessment_list")
    client.get(url)
    for _ in range(2):
        for enterprise in EnterpriseFactory.create_batch(
            10, town=county.town, industry=county.industry_b
        ):
            SelfAssessment.objects.create(enterprise=enterprise, period=period, template=template)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_not_submitted_list_shows_only_pending_enterprises_in_scope(
    assessment, enterprise_manager, town_official, client_for
):
    from django.utils import timezone

    assessment.period.year = timezone.localdate().year
    assessment.period.save()
    submitted(assessment, enterprise_manager)
    html = client_for(town_official).get(reverse("enterprises:assessment_missing")).content.decode()
    assert assessment.enterprise.name not in html
    assert "小渡口化工有限公司" in html
    assert "澧阳化工有限公司" not in html


@pytest.mark.parametrize("persona", ["enterprise_manager", "expert"])
def test_not_submitted_list_is_for_government_roles(persona, request, county, client_for):
    url = reverse("enterprises:assessment_missing")
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 403


def test_not_submitted_list_queries_do_not_grow(
    county, county_officer, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    url = reverse("enterprises:assessment_missing")
    client.get(url)
    EnterpriseFactory.create_batch(20, town=county.town, industry=county.industry_b)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_due_reminders_go_once_per_stage(county, enterprise_manager, settings):
    settings.SELF_ASSESSMENT_REMIND_DAYS = 14
    PeriodFactory(year=2026, due_on=datetime.date(2026, 11, 30))
    assert services.send_due_reminders(today=datetime.date(2026, 11, 15)) == 0  # too early
    assert services.send_due_reminders(today=datetime.date(2026, 11, 16)) == 1
    assert services.send_due_reminders(today=datetime.date(2026, 11, 20)) == 0  # sent already
    assert services.send_due_reminders(today=datetime.date(2026, 12, 1)) == 1  # overdue stage
    assert services.send_due_reminders(today=datetime.date(2026, 12, 2)) == 0
    assert Notification.objects.filter(recipient=enterprise_manager).count() == 2


def test_no_reminder_once_submitted(county, enterprise_manager, template):
    period = PeriodFactory(year=2026, due_on=datetime.date(2026, 11, 30))
    assessment = services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=period
    )
    submitted(assessment, enterprise_manager)
    assert services.send_due_reminders(today=datetime.date(2026, 11, 29)) == 0


def test_reminder_task_runs(county, enterprise_manager):
    from enterprises.tasks import send_self_assessment_reminders

    assert send_self_assessment_reminders.delay().get() == 0  # no period this year yet


@pytest.mark.parametrize(
    ("month", "due"), [(11, datetime.date(2026, 11, 30)), (2, datetime.date(2026, 2, 28))]
)
def test_default_due_date_is_the_last_day_of_the_configured_month(settings, month, due):
    from enterprises.assessment import AssessmentPeriod

    settings.SELF_ASSESSMENT_DUE_MONTH = month
    assert AssessmentPeriod.default_due_on(2026) == due
