"""The appraisal's mechanics (responsibilities/appraisal_services.py): who is appraised by
whom, the computation and its totals, reviewers' adjustments, manual indicators, the
veto cap, the steps' states and rules, publication. The indicator rules of the ledgers are
tested with their own hand-built data in test_appraisal_rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from responsibilities import appraisal_services as services
from responsibilities.appraisal_models import (
    AppraisalIndicator,
    AppraisalResult,
    AppraisalScheme,
    Grade,
    IndicatorKind,
    IndicatorScore,
    ResultStatus,
    RoundStatus,
)
from responsibilities.appraisal_rules import (
    _RULES,
    TOWNS,
    Evidence,
    Measure,
    Method,
    Rule,
    register,
)
from responsibilities.duty_models import DutyItem, DutyItemStatus, DutyList
from responsibilities.models import CommitteeMembership, OrganisationKind
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from safetyportal.workflow.errors import StepForbidden, StepNotAllowed
from tests.factories import OrganisationFactory

YEAR = 2025
SNAPSHOT = datetime.date(2025, 12, 31)


@pytest.fixture
def safety_committee(county):
    return OrganisationFactory(code="AWH", name="县安委会", kind=OrganisationKind.SAFETY_COMMITTEE)


@pytest.fixture
def committee(county):
    committee = OrganisationFactory(
        code="WHZWH", name="危化专委会", kind=OrganisationKind.COMMITTEE
    )
    CommitteeMembership.objects.create(committee=committee, member=county.department, is_lead=True)
    CommitteeMembership.objects.create(committee=committee, member=county.other_department)
    return committee


@pytest.fixture
def town_duties(county, county_officer):
    """小渡口镇's 2025 list: 4 items due by the snapshot, 3 done by then (one done after
    the snapshot does not count), so 3 / 4."""
    duty_list = DutyList.objects.create(year=YEAR, owner=county.town, created_by=county_officer)
    for order, (deadline, done_on) in enumerate(
        [
            (datetime.date(2025, 3, 31), datetime.date(2025, 3, 20)),
            (datetime.date(2025, 6, 30), datetime.date(2025, 7, 2)),
            (None, datetime.date(2025, 12, 1)),
            (datetime.date(2025, 9, 30), None),
        ],
        start=1,
    ):
        DutyItem.objects.create(
            duty_list=duty_list,
            order=order,
            content=f"事项{order}",
            deadline=deadline,
            status=DutyItemStatus.DONE if done_on else DutyItemStatus.PENDING,
            done_on=done_on,
        )
    return duty_list


@pytest.fixture
def scheme(county, county_officer):
    scheme = services.save_scheme(actor=county_officer, year=YEAR, title="2025年度安全生产考核方案")
    AppraisalIndicator.objects.create(
        scheme=scheme,
        code="A1",
        name="责任清单完成",
        kind=IndicatorKind.COMPUTED,
        rule="responsibilities.duty_items_completed",
        points=Decimal(60),
        for_committees=True,
        sort_order=1,
    )
    AppraisalIndicator.objects.create(
        scheme=scheme,
        code="B1",
        name="述职报告质量",
        kind=IndicatorKind.MANUAL,
        points=Decimal(40),
        for_committees=True,
        sort_order=2,
    )
    return scheme


@pytest.fixture
def opened(scheme, county_officer, safety_committee, committee, town_duties):
    round_ = services.open_round(actor=county_officer, scheme=scheme, snapshot_date=SNAPSHOT)
    for result in round_.results.all():
        services.compute_result(result.pk)
    return round_


def town_result(round_, county) -> AppraisalResult:
    return round_.results.get(unit=county.town)


def test_each_unit_is_appraised_by_its_body(opened, county, safety_committee, committee):
    appraisers = {result.unit: result.appraiser for result in opened.results.all()}
    assert appraisers[county.town] == safety_committee
    assert appraisers[county.other_town] == safety_committee
    # 住建局 is a member of the 危化专委会; 应急管理局 leads it, so the county appraises it
    assert appraisers[county.other_department] == committee
    assert appraisers[county.department] == safety_committee
    assert appraisers[committee] == safety_committee
    assert county.office not in appraisers  # the office runs the appraisal


def test_computation_scores_the_draft_with_its_evidence(opened, county):
    result = town_result(opened, county)
    assert result.status == ResultStatus.DRAFT
    assert result.progress == 100
    assert result.snapshot_date == SNAPSHOT
    duty = result.scores.get(indicator__code="A1")
    # 3 of 4 items done by the snapshot: 60 x 3 / 4 = 45
    assert (duty.counted, duty.base, duty.computed_points) == (3, 4, Decimal("45.00"))
    assert [evidence.label for evidence in duty.evidence.all()] == ["第4项 事项4"]
    manual = result.scores.get(indicator__code="B1")
    assert manual.computed_points is None and manual.points is None
    # the manual indicator counts nothing until a reviewer scores it
    assert result.computed_total == Decimal(45) and result.total == Decimal(45)
    assert result.grade == Grade.FAIL
    assert AuditEvent.objects.filter(verb="appraisal_result.computed", target_id=result.pk).exists()


def test_a_unit_without_a_duty_list_gets_full_points_and_says_why(opened, county):
    score = opened.results.get(unit=county.other_town).scores.get(indicator__code="A1")
    assert (score.counted, score.base, score.computed_points) == (0, 0, Decimal("60.00"))
    assert score.summary == "本年度无责任清单"


def test_recomputation_gives_the_same_result_and_keeps_adjustments(opened, county, county_officer):
    result = town_result(opened, county)
    manual = result.scores.get(indicator__code="B1")
    services.adjust_score(actor=county_officer, score=manual, points="36", reason="述职报告较完整")
    before = list(
        IndicatorScore.objects.filter(result=result).values_list(
            "indicator__code", "counted", "base", "computed_points", "adjusted_points"
        )
    )
    before_evidence = list(
        result.scores.get(indicator__code="A1").evidence.values_list("label", "note")
    )
    # a duty item marked done after the snapshot date changes nothing
    DutyItem.objects.filter(order=4).update(
        status=DutyItemStatus.DONE, done_on=datetime.date(2026, 1, 5)
    )
    services.recompute(actor=county_officer, result_id=result.pk)
    assert services.compute_result(result.pk) == ResultStatus.DRAFT
    after = list(
        IndicatorScore.objects.filter(result=result).values_list(
            "indicator__code", "counted", "base", "computed_points", "adjusted_points"
        )
    )
    assert after == before
    assert (
        list(result.scores.get(indicator__code="A1").evidence.values_list("label", "note"))
        == before_evidence
    )
    result.refresh_from_db()
    assert result.total == Decimal("81.00") and result.grade == Grade.PASS


def test_computing_a_result_not_waiting_for_it_does_nothing(opened, county):
    result = town_result(opened, county)
    assert services.compute_result(result.pk) == "skipped"
    assert services.compute_result(0) == "skipped"


def test_resume_sends_every_result_left_computing(
    opened, county, django_capture_on_commit_callbacks
):
    AppraisalResult.objects.filter(unit=county.town).update(
        status=ResultStatus.COMPUTING, progress=50
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_computations() == 1
    result = town_result(opened, county)
    assert result.status == ResultStatus.DRAFT and result.progress == 100


def test_opening_a_round_queues_one_computation_per_unit(
    scheme,
    county_officer,
    safety_committee,
    committee,
    town_duties,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        round_ = services.open_round(actor=county_officer, scheme=scheme, snapshot_date=SNAPSHOT)
    assert len(callbacks) == round_.results.count() == 5
    assert not round_.results.exclude(status=ResultStatus.DRAFT).exists()


def test_a_round_needs_indicators_and_a_sensible_snapshot(county, county_officer, safety_committee):
    empty = AppraisalScheme.objects.create(year=YEAR, title="空方案")
    with pytest.raises(ValidationError) as error:
        services.open_round(
            actor=county_officer, scheme=empty, snapshot_date=datetime.date(2024, 1, 1)
        )
    assert "考核方案还没有指标" in str(error.value)
    assert "数据截止日期不能早于考核年度" in str(error.value)
    assert not AppraisalResult.objects.exists()


def test_only_the_county_office_opens_a_round(scheme, leader, town_official, safety_committee):
    for user in (leader, town_official):
        with pytest.raises(StepForbidden):
            services.open_round(actor=user, scheme=scheme, snapshot_date=SNAPSHOT)
    assert not AppraisalResult.objects.exists()


def test_the_round_cannot_be_opened_twice(opened, scheme, county_officer):
    with pytest.raises(ValidationError, match="已经启动"):
        services.open_round(actor=county_officer, scheme=scheme, snapshot_date=SNAPSHOT)


def test_adjustments_are_bounded_and_need_a_reason(opened, county, county_officer):
    score = town_result(opened, county).scores.get(indicator__code="A1")
    with pytest.raises(ValidationError) as error:
        services.adjust_score(actor=county_officer, score=score, points="61", reason="")
    assert "得分须在 0 到 60.00 分之间" in str(error.value)
    assert "请填写调整理由" in str(error.value)
    score.refresh_from_db()
    assert score.adjusted_points is None
    services.adjust_score(
        actor=county_officer, score=score, points="50", reason="补充材料证明第4项已完成"
    )
    result = town_result(opened, county)
    assert result.total == Decimal(50) and result.computed_total == Decimal(45)
    event = AuditEvent.objects.get(verb="appraisal_score.adjusted")
    assert event.payload["old"] is None and event.payload["new"] == "50.00"
    # removing the adjustment returns to the computed points
    services.adjust_score(actor=county_officer, score=score, points=None, reason="撤回调整")
    assert town_result(opened, county).total == Decimal(45)


def test_the_reviewing_committees_lead_unit_adjusts_its_members_results(
    opened, county, department_official, town_official
):
    member_result = opened.results.get(unit=county.other_department)  # by the 危化专委会
    score = member_result.scores.get(indicator__code="B1")
    # 应急管理局 leads the 危化专委会 and reviews its members' results, not its own
    services.adjust_score(actor=department_official, score=score, points="30", reason="评议")
    own_score = opened.results.get(unit=county.department).scores.get(indicator__code="B1")
    with pytest.raises(StepForbidden):
        services.adjust_score(actor=department_official, score=own_score, points="40", reason="x")
    town_score = town_result(opened, county).scores.get(indicator__code="B1")
    with pytest.raises(StepForbidden):
        services.adjust_score(actor=department_official, score=town_score, points="30", reason="x")
    with pytest.raises(StepForbidden):
        services.adjust_score(actor=town_official, score=town_score, points="40", reason="自己打分")


def test_the_steps_from_draft_to_publication(opened, county, county_officer, leader, town_official):
    result = town_result(opened, county)
    services.comment(actor=town_official, result_id=result.pk, self_report="第4项因汛期推迟。")
    manual = result.scores.get(indicator__code="B1")
    with pytest.raises(ValidationError, match="述职报告质量"):
        services.submit_review(actor=county_officer, result_id=result.pk, review_note="")
    services.adjust_score(actor=county_officer, score=manual, points="38", reason="述职报告完整")
    services.submit_review(actor=county_officer, result_id=result.pk, review_note="同意")
    with pytest.raises(StepForbidden):
        services.approve(actor=county_officer, result_id=result.pk)
    services.send_back(actor=leader, result_id=result.pk, note="请核实第4项")
    assert town_result(opened, county).status == ResultStatus.COMMENTED
    services.submit_review(actor=county_officer, result_id=result.pk, review_note="已核实")
    services.approve(actor=leader, result_id=result.pk, note="同意")
    with pytest.raises(StepNotAllowed):
        services.comment(actor=town_official, result_id=result.pk, self_report="再说一句")
    with pytest.raises(ValidationError, match="还有 4 个单位"):
        services.publish_round(actor=county_officer, round_=opened)
    for other in opened.results.exclude(pk=result.pk):
        for score in other.scores.filter(indicator__kind=IndicatorKind.MANUAL):
            services.adjust_score(actor=county_officer, score=score, points="30", reason="评议")
        services.submit_review(actor=county_officer, result_id=other.pk)
        services.approve(actor=leader, result_id=other.pk)
    assert services.publish_round(actor=county_officer, round_=opened) == 5
    opened.refresh_from_db()
    assert opened.status == RoundStatus.PUBLISHED
    assert set(opened.results.values_list("status", flat=True)) == {ResultStatus.PUBLISHED}
    assert Notification.objects.filter(recipient=town_official).count() == 1
    result = town_result(opened, county)
    assert (result.total, result.grade) == (Decimal("83.00"), Grade.PASS)
    with pytest.raises(ValidationError, match="已经公布"):
        services.publish_round(actor=county_officer, round_=opened)


def test_only_the_units_own_officials_comment(opened, county, other_town_official, leader):
    result = town_result(opened, county)
    for user in (other_town_official, leader):
        with pytest.raises(StepForbidden):
            services.comment(actor=user, result_id=result.pk, self_report="代为填写")
    assert town_result(opened, county).self_report == ""


@pytest.fixture
def accident_rule():
    """A veto rule standing in for the enforcement app's (tested with real accidents in
    test_appraisal_rules): it fires for the unit named in params."""

    def measure(unit, period, params):
        if unit.code == params.get("vetoed_unit"):
            return Measure(counted=0, base=1, failures=[Evidence(label="较大事故")])
        return Measure(counted=0, base=0)

    rule = Rule(
        code="tests.veto",
        label="测试否决",
        description="",
        kinds=TOWNS,
        measure=measure,
        method=Method.VETO,
    )
    register(rule)
    yield rule
    _RULES.pop(rule.code)


def test_a_veto_caps_the_total_and_fails_the_unit(
    scheme, county, county_officer, safety_committee, committee, accident_rule
):
    AppraisalIndicator.objects.create(
        scheme=scheme,
        code="V1",
        name="较大及以上事故",
        kind=IndicatorKind.VETO,
        rule="tests.veto",
        params={"vetoed_unit": county.town.code},
        for_departments=False,
    )
    round_ = services.open_round(actor=county_officer, scheme=scheme, snapshot_date=SNAPSHOT)
    for result in round_.results.all():
        services.compute_result(result.pk)
    vetoed = round_.results.get(unit=county.town)
    manual = vetoed.scores.get(indicator__code="B1")
    services.adjust_score(actor=county_officer, score=manual, points="40", reason="述职报告优秀")
    vetoed.refresh_from_db()
    # 60 (no duty list: full points) + 40 = 100, capped at the scheme's 60 by the veto
    assert (vetoed.vetoed, vetoed.total, vetoed.grade) == (True, Decimal(60), Grade.FAIL)
    assert vetoed.scores.get(indicator__code="V1").evidence.get().label == "较大事故"
    other = round_.results.get(unit=county.other_town)
    assert not other.vetoed and other.scores.get(indicator__code="V1").vetoes is False
    # departments do not get the town-only indicator
    assert (
        not round_.results.get(unit=county.department).scores.filter(indicator__code="V1").exists()
    )
