"""The self-assessment workflow: start, fill, submit, review; versions; visibility; the
not-submitted list and due reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enterprises.assessment import services
from enterprises.assessment.models import AssessmentStatus, Grade, SelfAssessment, grade_for
from enterprises.reference import load_assessment_template
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from safetyportal.workflow import StepNotAllowed
from tests.enterprises.assessment.inputs import review_assessment, save_answers
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
    return save_answers(
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
def test_grade_thresholds_seeded_by_the_migration(db, total, grade):
    assert grade_for(Decimal(total)) == grade


def test_grade_bands_are_reference_rows_the_county_office_edits(db, admin_client):
    from enterprises.assessment.models import GradeBand

    assert dict(GradeBand.objects.values_list("grade", "min_score")) == {
        "first": Decimal("90"),
        "second": Decimal("75"),
        "third": Decimal("60"),
    }
    band = GradeBand.objects.get(grade=Grade.FIRST)
    url = reverse("admin:enterprises_gradeband_change", args=[band.pk])
    assert admin_client.post(url, {"grade": "first", "min_score": "85"}).status_code == 302
    assert grade_for(Decimal("85")) == Grade.FIRST
    refused = admin_client.post(url, {"grade": "first", "min_score": "70"})
    assert "优高于良" in refused.content.decode()  # not below 良's 75
    assert GradeBand.objects.get(grade=Grade.FIRST).min_score == Decimal("85")


def test_ensure_grade_bands_restores_missing_rows_and_keeps_edited_ones(db):
    from enterprises.assessment.models import GradeBand
    from enterprises.reference import ensure_grade_bands

    GradeBand.objects.filter(grade=Grade.THIRD).delete()
    GradeBand.objects.filter(grade=Grade.FIRST).update(min_score=95)
    assert ensure_grade_bands() == 1
    assert grade_for(Decimal("60")) == Grade.THIRD
    assert grade_for(Decimal("94")) == Grade.SECOND


def test_shipped_template_loads_with_seven_areas_and_100_points(db):
    load_assessment_template()
    load_assessment_template()  # idempotent
    from enterprises.assessment.models import AssessmentTemplate

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
    result = save_answers(
        actor=enterprise_manager, assessment=assessment, answers=answers, submit=True
    )
    assert result.total == Decimal("100.0")


def test_submit_with_unscored_items_is_refused_and_names_them(assessment, enterprise_manager):
    with pytest.raises(ValidationError) as error:
        save_answers(
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
        save_answers(
            actor=enterprise_manager,
            assessment=assessment,
            answers=fill(assessment, {"A1": "5", "B1": bad}),
        )
    assert "B1" in error.value.messages[0]
    assert assessment.answers.get(code="A1").score is None


def test_evidence_is_checked_by_content(assessment, enterprise_manager):
    ids = answer_ids(assessment)
    with pytest.raises(ValidationError):
        save_answers(
            actor=enterprise_manager,
            assessment=assessment,
            answers={},
            evidence={ids["A1"]: [fake_pdf_upload()]},
        )
    save_answers(
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
        review_assessment(
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
    result = review_assessment(
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
        review_assessment(actor=town_official, assessment=assessment, adjustments={}, accept=False)
    result = review_assessment(
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
    with pytest.raises(StepNotAllowed, match="该自评已提交，不能再修改"):
        save_answers(
            actor=enterprise_manager, assessment=assessment, answers=fill(assessment, {"A1": "1"})
        )


@pytest.mark.parametrize("persona", ["other_town_official", "leader", "expert"])
def test_only_the_enterprises_reviewers_may_review(
    persona, request, assessment, enterprise_manager
):
    submitted(assessment, enterprise_manager)
    with pytest.raises(PermissionDenied):
        review_assessment(
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
    result = review_assessment(
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
    url = reverse("enterprises:assessment_step", args=[assessment.pk, "save"])
    assert client.get(url).status_code == 405
    bad = {f"score_{ids['A1']}": "99"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "应在0到10分之间" in response.content.decode()
    assert assessment.answers.get(code="A1").score is None
    data = {f"score_{pk}": "8" for pk in ids.values()}
    submit_url = reverse("enterprises:assessment_step", args=[assessment.pk, "submit"])
    assert client.post(submit_url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["town_official", "county_officer"])
def test_save_view_forbids_officials(persona, request, assessment, client_for):
    url = reverse("enterprises:assessment_step", args=[assessment.pk, "submit"])
    response = client_for(request.getfixturevalue(persona)).post(url, {})
    assert response.status_code == 403
    assert "只有本企业的管理人员可以填写自评" in response.content.decode()


def test_review_view_allowed_forbidden_and_wrong_method(
    assessment, enterprise_manager, town_official, other_town_official, client_for
):
    submitted(assessment, enterprise_manager)
    url = reverse("enterprises:assessment_step", args=[assessment.pk, "accept"])
    assert client_for(town_official).get(url).status_code == 405
    assert client_for(other_town_official).post(url, {}).status_code == 404
    assert client_for(enterprise_manager).post(url, {}).status_code == 403
    assert client_for(town_official).post(url, {}).status_code == 302
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
    save_answers(
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


def test_reminder_task_reminds_even_before_anyone_created_this_years_period(
    county, enterprise_manager, settings
):
    from django.utils import timezone

    from enterprises.assessment.models import AssessmentPeriod
    from enterprises.tasks import send_self_assessment_reminders

    settings.SELF_ASSESSMENT_REMIND_DAYS = 400  # today is inside the window, whatever the date
    assert send_self_assessment_reminders.delay().get() == 1
    assert AssessmentPeriod.objects.filter(year=timezone.localdate().year).exists()
    assert Notification.objects.filter(recipient=enterprise_manager).count() == 1


def test_reminders_use_the_default_due_date_when_no_period_exists(county, enterprise_manager):
    from enterprises.assessment.models import AssessmentPeriod

    assert services.send_due_reminders(today=datetime.date(2027, 11, 20)) == 1
    period = AssessmentPeriod.objects.get(year=2027)
    assert period.due_on == AssessmentPeriod.default_due_on(2027)


@pytest.mark.parametrize(
    ("month", "due"), [(11, datetime.date(2026, 11, 30)), (2, datetime.date(2026, 2, 28))]
)
def test_default_due_date_is_the_last_day_of_the_configured_month(settings, month, due):
    from enterprises.assessment.models import AssessmentPeriod

    settings.SELF_ASSESSMENT_DUE_MONTH = month
    assert AssessmentPeriod.default_due_on(2026) == due


def test_resubmission_after_a_return_follows_the_enterprises_corrected_scores(
    assessment, enterprise_manager, town_official
):
    submitted(assessment, enterprise_manager)  # 10 + 9 + 8 + 4 = 31 of 40
    ids = answer_ids(assessment)
    review_assessment(
        actor=town_official,
        assessment=assessment,
        adjustments={ids["A1"]: {"score": "2", "reason": "责任制未签订"}},
        accept=False,
        note="请更正A1",
    )
    result = submitted(assessment, enterprise_manager, {"A1": "6", "B1": "9", "G1": "8", "G2": "4"})
    assert result.total == Decimal("67.5")  # 27 of 40: the enterprise's new A1, not the 2
    a1 = assessment.answers.get(code="A1")
    assert (a1.reviewed_score, a1.adjust_reason) == (None, "")


def test_submit_with_a_blank_item_writes_nothing_and_leaves_no_evidence_file(
    assessment, enterprise_manager, settings
):
    from pathlib import Path

    save_answers(
        actor=enterprise_manager, assessment=assessment, answers=fill(assessment, {"A1": "5"})
    )
    ids = answer_ids(assessment)
    with pytest.raises(ValidationError) as error:
        save_answers(
            actor=enterprise_manager,
            assessment=assessment,
            answers=fill(assessment, {"A1": "7", "B1": "", "G1": "8", "G2": "4"}),
            evidence={ids["A1"]: [pdf_upload()]},
            submit=True,
        )
    assert "B1" in error.value.messages[0] and "还有1项未打分" in error.value.messages[0]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.answers.get(code="A1").score == Decimal("5")  # the saved draft
    assert not assessment.answers.get(code="A1").evidence.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True


def submit_with_not_applicable(assessment, manager, codes, scores=None):
    scores = scores or {"A1": "10", "B1": "10", "G1": "10", "G2": "10"}
    answers = fill(assessment, {c: ("" if c in codes else s) for c, s in scores.items()})
    for code in codes:
        answers[answer_ids(assessment)[code]]["not_applicable"] = True
    return save_answers(actor=manager, assessment=assessment, answers=answers, submit=True)


def test_too_few_applicable_points_cap_the_grade_at_fail_with_an_explanation(
    assessment, enterprise_manager, client_for
):
    result = submit_with_not_applicable(assessment, enterprise_manager, ["B1", "G2"])
    assert result.total == Decimal("100.0")  # 20 of 20 applicable points ...
    assert result.grade == Grade.FAIL  # ... but only half of the template's 40
    html = client_for(enterprise_manager).get(
        reverse("enterprises:assessment_detail", args=[assessment.pk])
    )
    assert "适用项目的标准分只占自评表总分的50%" in html.content.decode()


@pytest.mark.parametrize(("share", "grade"), [("0.75", Grade.FIRST), ("0.76", Grade.FAIL)])
def test_the_minimum_applicable_share_is_a_setting(
    assessment, enterprise_manager, settings, share, grade
):
    settings.ASSESSMENT_MIN_APPLICABLE_SHARE = Decimal(share)
    result = submit_with_not_applicable(assessment, enterprise_manager, ["G2"])  # 30 of 40
    assert result.grade == grade


def test_reviewer_clears_a_not_applicable_flag_with_a_reason(
    assessment, enterprise_manager, town_official
):
    submit_with_not_applicable(assessment, enterprise_manager, ["G2"])
    ids = answer_ids(assessment)
    with pytest.raises(ValidationError) as error:
        review_assessment(
            actor=town_official,
            assessment=assessment,
            adjustments={ids["G2"]: {"clear_na": True}},
            accept=True,
        )
    assert "G2" in error.value.messages[0] and "理由" in error.value.messages[0]
    result = review_assessment(
        actor=town_official,
        assessment=assessment,
        adjustments={ids["G2"]: {"clear_na": True, "reason": "企业有现场处置方案，应适用"}},
        accept=True,
    )
    assert result.total == Decimal("75.0")  # 30 of 40: G2 counts, with no points
    g2 = assessment.answers.get(code="G2")
    assert not g2.not_applicable and g2.reviewed_score == 0
    assert g2.adjust_reason == "企业有现场处置方案，应适用"
    event = AuditEvent.objects.get(verb="assessment.accepted")
    assert event.payload["adjustments"] == [
        {
            "item": "G2",
            "cleared_not_applicable": True,
            "from": None,
            "to": "0",
            "reason": "企业有现场处置方案，应适用",
        }
    ]


def test_review_view_clears_a_not_applicable_flag(
    assessment, enterprise_manager, town_official, client_for
):
    submit_with_not_applicable(assessment, enterprise_manager, ["G2"])
    ids = answer_ids(assessment)
    client = client_for(town_official)
    page = client.get(reverse("enterprises:assessment_detail", args=[assessment.pk]))
    assert f'name="clear_na_{ids["G2"]}"' in page.content.decode()
    data = {
        f"clear_na_{ids['G2']}": "on",
        f"reviewed_{ids['G2']}": "5",
        f"reason_{ids['G2']}": "应适用",
    }
    client.post(reverse("enterprises:assessment_step", args=[assessment.pk, "accept"]), data)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert assessment.total == Decimal("87.5")  # 35 of 40


def test_a_new_template_version_leaves_a_submitted_assessment_alone_and_is_used_next(
    county, assessment, enterprise_manager, template, period
):
    from tests.enterprises.factories_duties import TemplateFactory, TemplateItemFactory

    submitted(assessment, enterprise_manager)
    before = list(assessment.answers.values_list("code", "requirement", "points", "score"))
    v2 = TemplateFactory(version=template.version + 1, title="测试自评表第2版")
    TemplateItemFactory(template=v2, code="A1", requirement="第2版的A1", points=20)
    TemplateItemFactory(template=v2, code="H1", requirement="第2版新增", points=80)

    assessment.refresh_from_db()
    assert assessment.template == template
    assert list(assessment.answers.values_list("code", "requirement", "points", "score")) == (
        before
    )
    assert (assessment.total, assessment.grade) == (Decimal("77.5"), Grade.SECOND)

    other_manager = EnterpriseUserFactory(enterprise=county.xdk_chem)
    fresh = services.start_assessment(
        actor=other_manager, enterprise=county.xdk_chem, period=period
    )
    assert fresh.template == v2
    assert list(fresh.answers.values_list("code", "requirement", "points")) == [
        ("A1", "第2版的A1", 20),
        ("H1", "第2版新增", 80),
    ]


def returned(assessment, manager, reviewer):
    submitted(assessment, manager)
    return review_assessment(
        actor=reviewer, assessment=assessment, adjustments={}, accept=False, note="请补充"
    )


def accepted(assessment, manager, reviewer):
    submitted(assessment, manager)
    return review_assessment(actor=reviewer, assessment=assessment, adjustments={}, accept=True)


@pytest.mark.parametrize("state", ["draft", "returned", "accepted"])
def test_only_a_submitted_assessment_can_be_reviewed(
    state, assessment, enterprise_manager, town_official
):
    if state == "returned":
        returned(assessment, enterprise_manager, town_official)
    elif state == "accepted":
        accepted(assessment, enterprise_manager, town_official)
    assessment.refresh_from_db()
    before = (assessment.status, assessment.total, assessment.reviewed_at)
    events = AuditEvent.objects.count()
    for accept in (True, False):
        with pytest.raises(StepNotAllowed, match="只有待审核的自评可以审核"):
            review_assessment(
                actor=town_official,
                assessment=assessment,
                adjustments={},
                accept=accept,
                note="再审",
            )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total, assessment.reviewed_at) == before
    assert AuditEvent.objects.count() == events


def test_a_failed_item_of_a_draft_cannot_become_a_hazard(
    assessment, enterprise_manager, town_official
):
    from hazards.assessment_services import raise_hazard_from_assessment_answer
    from hazards.models import Hazard

    save_answers(
        actor=enterprise_manager, assessment=assessment, answers=fill(assessment, {"B1": "1"})
    )
    b1 = assessment.answers.get(code="B1")
    assert b1.is_failed
    for actor in (town_official, enterprise_manager):
        with pytest.raises(ValidationError) as error:
            raise_hazard_from_assessment_answer(
                actor=actor,
                answer_id=b1.pk,
                deadline=datetime.date(2027, 1, 31),
            )
        assert "提交后才能" in error.value.messages[0]
    assert not Hazard.objects.exists()
    b1.refresh_from_db()
    assert b1.hazard is None
