"""Each compliance rule at its boundaries. The checks are pure functions, so these tests
build unsaved records and need no database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from enterprises.duties.compliance import (
    Status,
    add_months,
    certificate_review_due,
    check_certificates,
    check_documents,
    check_drills,
    check_insurance,
    check_plans,
    check_safety_cost,
    check_staffing,
    check_training,
    full_plan_duties,
    last_day_counting,
    required_extraction,
)
from enterprises.duties.models import (
    DocumentKind,
    DutyDocument,
    EmergencyDrill,
    EmergencyPlan,
    LiabilityInsurance,
    OperationCategory,
    PlanKind,
    SafetyCost,
    SafetyCostRate,
    SafetyStaffing,
    SpecialOperationCertificate,
    TraineeRole,
    TrainingRecord,
)

TODAY = datetime.date(2026, 11, 29)
DAY = datetime.timedelta(days=1)


def staffing(full=0, part=0, body=False):
    return SafetyStaffing(has_safety_body=body, full_time_staff=full, part_time_staff=part)


@pytest.mark.parametrize(("employees", "status"), [(100, Status.PASS), (101, Status.MISSING)])
def test_part_time_manager_is_enough_up_to_100_employees_but_not_at_101(employees, status):
    result = check_staffing(employee_count=employees, is_high_risk=False, staffing=staffing(part=1))
    assert result.status == status
    if status == Status.MISSING:
        assert "专职" in result.message and "第24条" in result.message


def test_enterprise_over_100_employees_passes_with_a_full_time_manager():
    result = check_staffing(employee_count=101, is_high_risk=False, staffing=staffing(full=1))
    assert result.status == Status.PASS


def test_high_risk_enterprise_with_few_employees_needs_a_body_or_full_time_staff():
    assert (
        check_staffing(employee_count=5, is_high_risk=True, staffing=staffing(part=2)).status
        == Status.MISSING
    )
    assert (
        check_staffing(employee_count=5, is_high_risk=True, staffing=staffing(body=True)).status
        == Status.PASS
    )


def test_small_enterprise_with_no_manager_at_all_is_missing():
    assert check_staffing(employee_count=10, is_high_risk=False, staffing=staffing()).status == (
        Status.MISSING
    )


def test_no_staffing_record_is_missing():
    assert check_staffing(employee_count=10, is_high_risk=False, staffing=None).status == (
        Status.MISSING
    )


def cert(expires_on):
    return SpecialOperationCertificate(worker_name="张工", expires_on=expires_on)


def test_certificate_expiring_today_is_due_soon_not_expired():
    result = check_certificates(certificates=[cert(TODAY)], today=TODAY)
    assert result.status == Status.DUE_SOON
    assert "张工" in result.message


def test_certificate_that_expired_yesterday_is_expired():
    assert check_certificates(certificates=[cert(TODAY - DAY)], today=TODAY).status == (
        Status.EXPIRED
    )


def test_certificate_beyond_the_warning_window_passes(settings):
    settings.DUTY_DUE_SOON_DAYS = 30
    far = TODAY + datetime.timedelta(days=31)
    assert check_certificates(certificates=[cert(far)], today=TODAY).status == Status.PASS
    edge = TODAY + datetime.timedelta(days=30)
    assert check_certificates(certificates=[cert(edge)], today=TODAY).status == Status.DUE_SOON


def test_no_special_operators_is_a_pass():
    assert check_certificates(certificates=[], today=TODAY).status == Status.PASS


def drill(kind, held_on):
    return EmergencyDrill(plan_kind=kind, held_on=held_on)


def yearly_drill():
    return drill(PlanKind.COMPREHENSIVE, TODAY - datetime.timedelta(days=60))


def test_on_site_drill_six_months_and_one_day_ago_is_overdue():
    held = add_months(TODAY, -6) - DAY
    result = check_drills(drills=[yearly_drill(), drill(PlanKind.ON_SITE, held)], today=TODAY)
    assert result.status == Status.EXPIRED
    assert "现场处置方案演练" in result.message


def test_on_site_drill_exactly_six_months_ago_still_counts_today():
    held = add_months(TODAY, -6)
    result = check_drills(drills=[yearly_drill(), drill(PlanKind.ON_SITE, held)], today=TODAY)
    assert result.status == Status.DUE_SOON


def test_comprehensive_drill_a_year_and_a_day_ago_is_overdue():
    on_site = drill(PlanKind.ON_SITE, TODAY - datetime.timedelta(days=30))
    held = add_months(TODAY, -12) - DAY
    result = check_drills(drills=[drill(PlanKind.SPECIAL, held), on_site], today=TODAY)
    assert result.status == Status.EXPIRED
    assert "综合或专项" in result.message


def test_recent_drills_of_both_kinds_pass():
    on_site = drill(PlanKind.ON_SITE, TODAY - datetime.timedelta(days=30))
    assert check_drills(drills=[yearly_drill(), on_site], today=TODAY).status == Status.PASS


def test_no_drills_or_one_kind_missing_is_missing():
    assert check_drills(drills=[], today=TODAY).status == Status.MISSING
    assert check_drills(drills=[yearly_drill()], today=TODAY).status == Status.MISSING


def plan(kind=PlanKind.COMPREHENSIVE, filed_on=None, reviewed_on=None, title="综合应急预案"):
    return EmergencyPlan(kind=kind, title=title, filed_on=filed_on, reviewed_on=reviewed_on)


def test_plan_filed_three_years_ago_today_is_due_for_review_and_a_day_more_is_expired():
    assert check_plans(plans=[plan(filed_on=add_months(TODAY, -36))], today=TODAY).status == (
        Status.DUE_SOON
    )
    overdue = add_months(TODAY, -36) - DAY
    assert check_plans(plans=[plan(filed_on=overdue)], today=TODAY).status == Status.EXPIRED


def test_plan_review_restarts_the_three_years():
    old = plan(filed_on=datetime.date(2020, 1, 1), reviewed_on=TODAY - datetime.timedelta(days=10))
    assert check_plans(plans=[old], today=TODAY).status == Status.PASS


def test_without_a_comprehensive_plan_plans_are_missing():
    assert check_plans(plans=[plan(kind=PlanKind.ON_SITE, filed_on=TODAY)], today=TODAY).status == (
        Status.MISSING
    )


def policy(starts_on, ends_on):
    return LiabilityInsurance(starts_on=starts_on, ends_on=ends_on, cover_per_person=Decimal(40))


def test_mandatory_insurance_missing_expired_and_current():
    assert check_insurance(mandatory=True, policies=[], today=TODAY).status == Status.MISSING
    ended = policy(datetime.date(2025, 1, 1), TODAY - DAY)
    assert check_insurance(mandatory=True, policies=[ended], today=TODAY).status == Status.EXPIRED
    current = policy(datetime.date(2026, 1, 1), datetime.date(2027, 6, 30))
    assert check_insurance(mandatory=True, policies=[current], today=TODAY).status == Status.PASS


def test_policy_ending_today_is_due_soon():
    ending = policy(datetime.date(2026, 1, 1), TODAY)
    assert check_insurance(mandatory=True, policies=[ending], today=TODAY).status == (
        Status.DUE_SOON
    )


def test_insurance_is_not_required_outside_mandatory_industries():
    assert check_insurance(mandatory=False, policies=[], today=TODAY).status == Status.PASS


def test_documents_lists_each_missing_rule():
    docs = [DutyDocument(kind=DocumentKind.RESPONSIBILITY_SYSTEM)]
    result = check_documents(documents=docs)
    assert result.status == Status.MISSING
    assert "例会例检制度" in result.message and "全员安全生产责任制" not in result.message
    all_docs = [DutyDocument(kind=kind) for kind in DocumentKind.values]
    assert check_documents(documents=all_docs).status == Status.PASS


# issue 8 item 2: 安全生产费用 is owed by the listed industries only, with no invented
# grace period, and the amount is checked where a rate table exists


def cost(year=2026, base="0", extracted="0", project_type=""):
    return SafetyCost(
        year=year,
        base_amount=Decimal(base),
        rate_percent=Decimal("0"),
        extracted=Decimal(extracted),
        used=Decimal("0"),
        project_type=project_type,
    )


def rate(percent, *, project_type="", band_from="0", band_to=None, valid_from="2022-11-21"):
    return SafetyCostRate(
        project_type=project_type,
        band_from=Decimal(band_from),
        band_to=None if band_to is None else Decimal(band_to),
        rate_percent=Decimal(percent),
        valid_from=datetime.date.fromisoformat(valid_from),
        legal_basis="财资〔2022〕136号",
    )


CONSTRUCTION = [rate("3", project_type="building"), rate("1.5", project_type="municipal")]
FIREWORKS = [
    rate("4", band_to="1000"),
    rate("3", band_from="1000", band_to="2000"),
    rate("2.5", band_from="2000"),
]


def test_an_enterprise_outside_the_listed_industries_owes_no_record():
    result = check_safety_cost(obligated=False, costs=[], today=TODAY)
    assert result.status == Status.PASS and "不属于" in result.message


def test_this_years_record_is_due_with_no_first_quarter_grace():
    last_year = [cost(year=2025)]
    march = datetime.date(2026, 3, 31)
    assert check_safety_cost(obligated=True, costs=last_year, today=march).status == (
        Status.MISSING
    )
    assert check_safety_cost(obligated=True, costs=last_year, today=TODAY).status == (
        Status.MISSING
    )
    assert check_safety_cost(obligated=True, costs=[cost()], today=TODAY).status == Status.PASS


def test_construction_extraction_is_base_times_the_project_types_rate():
    # 1,000 万 of 房屋建筑 at 3 %: 30 万 owed
    assert required_extraction(cost(base="1000", project_type="building"), CONSTRUCTION)[0] == (
        Decimal("30.00")
    )
    short = cost(base="1000", extracted="29.99", project_type="building")
    result = check_safety_cost(obligated=True, costs=[short], today=TODAY, rates=CONSTRUCTION)
    assert result.status == Status.SHORTFALL
    assert "应提取30.00万元" in result.message and "少提取0.01万元" in result.message
    enough = cost(base="1000", extracted="30", project_type="building")
    assert (
        check_safety_cost(obligated=True, costs=[enough], today=TODAY, rates=CONSTRUCTION).status
        == Status.PASS
    )


def test_construction_without_a_project_type_is_asked_for_it():
    result = check_safety_cost(
        obligated=True, costs=[cost(base="1000")], today=TODAY, rates=CONSTRUCTION
    )
    assert result.status == Status.MISSING and "工程类别" in result.message


@pytest.mark.parametrize(
    ("base", "owed"),
    [
        ("1000", "40.00"),  # all in the first band at 4 %
        ("1500", "55.00"),  # 40 + 500 x 3 %
        ("2000", "70.00"),
        ("3000", "95.00"),  # 40 + 30 + 1,000 x 2.5 %
    ],
)
def test_fireworks_extraction_takes_each_bands_rate_on_the_part_within_it(base, owed):
    assert required_extraction(cost(base=base), FIREWORKS)[0] == Decimal(owed)


def test_a_rate_line_counts_only_for_the_years_it_is_in_force():
    future = [rate("3", project_type="building", valid_from="2027-01-01")]
    record = cost(base="1000", extracted="0", project_type="building")
    assert required_extraction(record, future) is None
    result = check_safety_cost(obligated=True, costs=[record], today=TODAY, rates=future)
    assert result.status == Status.PASS and "未核对金额" in result.message


def training(role, trained_on, passed=True):
    return TrainingRecord(trainee_role=role, trained_on=trained_on, passed=passed)


def test_training_older_than_a_year_is_expired_and_a_failed_one_does_not_count():
    fresh = training(TraineeRole.SAFETY_MANAGER, TODAY - datetime.timedelta(days=100))
    stale = training(TraineeRole.PRINCIPAL, add_months(TODAY, -12) - DAY)
    assert check_training(records=[fresh, stale], today=TODAY).status == Status.EXPIRED
    failed = training(TraineeRole.PRINCIPAL, TODAY, passed=False)
    assert check_training(records=[fresh, failed], today=TODAY).status == Status.MISSING
    ok = training(TraineeRole.PRINCIPAL, TODAY - datetime.timedelta(days=100))
    assert check_training(records=[fresh, ok], today=TODAY).status == Status.PASS


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 5, 31), -6) == datetime.date(2025, 11, 30)


def worker_cert(name, category, expires_on):
    return SpecialOperationCertificate(worker_name=name, category=category, expires_on=expires_on)


def test_a_renewed_certificate_replaces_the_expired_one():
    old = worker_cert("张工", OperationCategory.ELECTRICAL, TODAY - DAY)
    renewed = worker_cert("张工", OperationCategory.ELECTRICAL, add_months(TODAY, 72))
    result = check_certificates(certificates=[old, renewed], today=TODAY)
    assert result.status == Status.PASS
    assert "1本" in result.message


def test_a_renewal_expiring_today_is_due_soon_not_expired():
    old = worker_cert("张工", OperationCategory.ELECTRICAL, TODAY - datetime.timedelta(days=400))
    renewed = worker_cert("张工", OperationCategory.ELECTRICAL, TODAY)
    assert check_certificates(certificates=[old, renewed], today=TODAY).status == Status.DUE_SOON


def test_a_renewal_of_another_category_does_not_cover_an_expired_certificate():
    expired = worker_cert("张工", OperationCategory.ELECTRICAL, TODAY - DAY)
    other = worker_cert("张工", OperationCategory.WELDING, add_months(TODAY, 72))
    result = check_certificates(certificates=[expired, other], today=TODAY)
    assert result.status == Status.EXPIRED and "张工" in result.message


def test_a_re_filed_plan_replaces_the_old_one_of_its_kind():
    old = plan(filed_on=add_months(TODAY, -36) - DAY)
    refiled = plan(filed_on=add_months(TODAY, -36))
    assert check_plans(plans=[old, refiled], today=TODAY).status == Status.DUE_SOON
    recent = plan(filed_on=TODAY - datetime.timedelta(days=10))
    assert check_plans(plans=[old, recent], today=TODAY).status == Status.PASS
    on_site_overdue = plan(kind=PlanKind.ON_SITE, filed_on=add_months(TODAY, -36) - DAY)
    assert check_plans(plans=[old, recent, on_site_overdue], today=TODAY).status == (Status.EXPIRED)


def test_separate_special_plans_are_each_judged_and_re_filing_one_replaces_only_it():
    comprehensive = plan(filed_on=TODAY - datetime.timedelta(days=10))
    fire = plan(PlanKind.SPECIAL, add_months(TODAY, -36) - DAY, title="火灾专项应急预案")
    leak = plan(PlanKind.SPECIAL, TODAY - datetime.timedelta(days=20), title="危化品泄漏专项预案")
    result = check_plans(plans=[comprehensive, fire, leak], today=TODAY)
    assert result.status == Status.EXPIRED and "火灾专项应急预案" in result.message
    fire_refiled = plan(PlanKind.SPECIAL, TODAY - DAY, title="火灾专项应急预案")
    assert check_plans(plans=[comprehensive, fire, leak, fire_refiled], today=TODAY).status == (
        Status.PASS
    )


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (datetime.date(2026, 8, 28), Status.DUE_SOON),
        (datetime.date(2026, 8, 29), Status.DUE_SOON),
        (datetime.date(2026, 8, 30), Status.DUE_SOON),
        (datetime.date(2026, 8, 31), Status.DUE_SOON),
        (datetime.date(2026, 9, 1), Status.EXPIRED),
    ],
)
def test_on_site_drill_on_the_last_day_of_february_counts_until_the_end_of_august(today, status):
    yearly = drill(PlanKind.COMPREHENSIVE, today - datetime.timedelta(days=60))
    on_site = drill(PlanKind.ON_SITE, datetime.date(2026, 2, 28))
    result = check_drills(drills=[yearly, on_site], today=today)
    assert result.status == status
    if status == Status.DUE_SOON:
        assert "2026-08-31" in result.message


def test_last_day_counting_keeps_month_ends_and_plain_days():
    assert last_day_counting(datetime.date(2026, 2, 28), 6) == datetime.date(2026, 8, 31)
    assert last_day_counting(datetime.date(2026, 4, 30), 6) == datetime.date(2026, 10, 31)
    assert last_day_counting(datetime.date(2026, 1, 30), 1) == datetime.date(2026, 2, 28)
    assert last_day_counting(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 15)


def test_staffing_messages_name_the_configured_threshold(settings):
    settings.STAFFING_EMPLOYEE_THRESHOLD = 50
    over = check_staffing(employee_count=51, is_high_risk=False, staffing=staffing(part=1))
    assert over.status == Status.MISSING and "超过50人" in over.message
    small = check_staffing(employee_count=10, is_high_risk=False, staffing=staffing())
    assert small.status == Status.MISSING and "50人以下" in small.message
    assert "100" not in over.message + small.message


# issue 8 item 3: the comprehensive plan, its 3-yearly evaluation and the yearly drill are
# duties of high-risk and medium-or-larger units only (domain-notes §7.5)


@pytest.mark.parametrize(
    ("employees", "high_risk", "full"),
    [(299, False, False), (300, True, True), (300, False, True), (5, True, True)],
)
def test_full_plan_duties_start_at_the_medium_size_threshold_or_high_risk(
    settings, employees, high_risk, full
):
    settings.EMERGENCY_PLAN_MEDIUM_EMPLOYEES = 300
    assert full_plan_duties(employee_count=employees, is_high_risk=high_risk) is full


def test_the_medium_size_threshold_is_a_setting(settings):
    settings.EMERGENCY_PLAN_MEDIUM_EMPLOYEES = 50
    assert full_plan_duties(employee_count=50, is_high_risk=False)
    assert not full_plan_duties(employee_count=49, is_high_risk=False)


def test_a_small_unit_may_keep_an_on_site_plan_only_and_is_not_asked_to_evaluate_it():
    old_on_site = plan(kind=PlanKind.ON_SITE, filed_on=datetime.date(2015, 1, 1), title="火灾处置")
    small = check_plans(plans=[old_on_site], today=TODAY, full_duty=False)
    assert small.status == Status.PASS
    assert check_plans(plans=[old_on_site], today=TODAY, full_duty=True).status == Status.MISSING
    assert check_plans(plans=[], today=TODAY, full_duty=False).status == Status.MISSING


def test_a_small_unit_with_an_on_site_plan_owes_only_the_on_site_drills():
    on_site = drill(PlanKind.ON_SITE, TODAY - datetime.timedelta(days=30))
    kinds = {PlanKind.ON_SITE}
    assert (
        check_drills(drills=[on_site], today=TODAY, full_duty=False, plan_kinds=kinds).status
        == Status.PASS
    )
    assert check_drills(drills=[on_site], today=TODAY, full_duty=True, plan_kinds=kinds).status == (
        Status.MISSING
    )
    # a small unit that does keep a special plan drills it yearly
    kinds = {PlanKind.ON_SITE, PlanKind.SPECIAL}
    assert (
        check_drills(drills=[on_site], today=TODAY, full_duty=False, plan_kinds=kinds).status
        == Status.MISSING
    )


# issue 8 item 4: the certificate's periodic review (复审), not only its expiry


def reviewed_cert(*, issued_on=None, reviewed_on=None, long_service=False):
    return SpecialOperationCertificate(
        worker_name="李工",
        category=OperationCategory.WELDING,
        expires_on=TODAY + datetime.timedelta(days=900),
        issued_on=issued_on,
        reviewed_on=reviewed_on,
        long_service=long_service,
    )


def test_review_falls_due_three_years_after_issue_and_is_overdue_the_day_after():
    due_today = reviewed_cert(issued_on=add_months(TODAY, -36))
    assert certificate_review_due(due_today) == TODAY
    result = check_certificates(certificates=[due_today], today=TODAY)
    assert result.status == Status.DUE_SOON and "复审" in result.message
    overdue = reviewed_cert(issued_on=add_months(TODAY, -36) - DAY)
    result = check_certificates(certificates=[overdue], today=TODAY)
    assert result.status == Status.EXPIRED and "复审已逾期" in result.message


def test_a_review_restarts_the_period_and_long_service_extends_it_to_six_years():
    issued = add_months(TODAY, -60)
    assert check_certificates(
        certificates=[reviewed_cert(issued_on=issued)], today=TODAY
    ).status == (Status.EXPIRED)
    reviewed = reviewed_cert(issued_on=issued, reviewed_on=add_months(TODAY, -12))
    assert check_certificates(certificates=[reviewed], today=TODAY).status == Status.PASS
    long = reviewed_cert(issued_on=issued, long_service=True)
    assert certificate_review_due(long) == add_months(issued, 72)
    assert check_certificates(certificates=[long], today=TODAY).status == Status.PASS


def test_the_review_periods_are_settings(settings):
    settings.CERTIFICATE_REVIEW_YEARS = 2
    assert certificate_review_due(reviewed_cert(issued_on=TODAY)) == add_months(TODAY, 24)


def test_a_certificate_without_issue_or_review_date_is_judged_on_expiry_only():
    assert certificate_review_due(reviewed_cert()) is None
    assert check_certificates(certificates=[reviewed_cert()], today=TODAY).status == Status.PASS
