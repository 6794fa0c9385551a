"""The appraisal's indicator rules on a small hand-built county (issue 11 item 5): every
indicator's counted / base / points compared with the figures worked out by hand below,
the veto, idempotent recomputation, records after the snapshot, and a department's scope
following the year's supervision map.

The county of tests/conftest.py (小渡口镇 = T, 澧阳街道 = OT; industries A (危险化学品) and
B (建筑施工)) plus, for 2025, a published map that SWAPS the lead departments of this
year's map: A -> 住建局 (ZJJ), B -> 应急管理局 (YJJ), and YJJ co-operates (not lead) on A.
Year 2025, data snapshot 2025-10-31 (Period.end = 2025-10-31). Scheme (veto cap 30):

    D1 duty items completed          10  towns, departments, committees
    H1 major hazards closed on time  20  towns, departments
    H2 general rectification rate    20  towns, departments
    E1 inspections against plan      20  towns, departments
    S1 self-assessment coverage      10  towns, departments
    C1 committee meetings held       30  committees
    M1 述职报告质量 (manual)          20  all
    V1 较大及以上事故 (veto)           0  towns, departments

Worked by hand (the data is built in `county_2025` with the same names):

T (小渡口镇)
  D1  d1 done 03-30 (due 03-31) ok; d2 done 07-05 (due 06-30) ok; d3 due 09-30 open;
      d4 no deadline, open (due at year end: judged); d5 due 12-31 not yet due.
      2 / 4 -> 10 x 2/4 = 5.00
  H1  m1 deadline 03-31 closed 03-20 ok; m2 deadline 05-31 closed 06-10 late;
      m3 deadline 08-31 open; m4 deadline 09-30 (extended to 12-31 on 11-15, after the
      snapshot: 09-30 in force) closed 11-20 (after the snapshot): not on time;
      m5 deadline extended on 09-01 from 09-15 to 11-30 (in force 11-30 > end): not judged;
      m6 found 2024, deadline 2025-01-31 closed 01-20 ok; m8 voided: not judged.
      2 / 5 -> 20 x 2/5 = 8.00
  H2  g1 found 03-01 closed 03-10 ok; g2 found 05-01 closed 05-20 ok; g3 found 09-01
      closed 11-05 (after the snapshot: open then); g4 found 10-01 open; g5 found 11-05
      and g6 found 2024-12-20: outside; g7 voided.  2 / 4 -> 20 x 2/4 = 10.00
  E1  plan targets t1 (3) done 03-15 ok; t2 (5) done 06-02 ok; t3 (9) open; t4 (10) done
      11-03 (after the snapshot); t5 (11) after the snapshot's month.  2 / 4 -> 10.00
  S1  operating: xdk_chem (submitted 06-01, accepted) ok; xdk_build (draft only);
      xdk_third (submitted 11-15, after the snapshot); xdk_closed is closed: not judged.
      1 / 3 -> 10 x 1/3 = 3.33
  V1  one 一般 accident (1 death): no veto.
  computed total 5 + 8 + 10 + 10 + 3.33 = 36.33; M1 unscored.
OT (澧阳街道)
  D1  no duty list: 0 / 0 -> 10.00
  H1  m7 deadline 05-01 open: 0 / 1 -> 0.00
  H2  g8 found 06-01 closed 06-05: 1 / 1 -> 20.00
  E1  no plan: 0 / 0 -> 20.00
  S1  ly_chem, ly_build: none submitted 0 / 2 -> 0.00
  total 50.00
YJJ (应急管理局, leads B in 2025)
  D1 0/0 -> 10.00; H1 m2, m4 (B): 0 / 2 -> 0.00; H2 g2 ok, g4 open, g8 ok (B):
  2 / 3 -> 13.33; E1 plan: ly_build (2) done 02-10: 1 / 1 -> 20.00;
  S1 xdk_build, xdk_third, ly_build: 0 / 3 -> 0.00.  total 43.33
ZJJ (住建局, leads A in 2025)
  D1 10.00; H1 m1 ok, m3 open, m6 ok, m7 open: 2 / 4 -> 10.00; H2 g1 ok, g3 open: 1 / 2
  -> 10.00; E1 no plan -> 20.00; S1 xdk_chem ok, ly_chem not: 1 / 2 -> 5.00. total 55.00
COMMITTEE (专委会; ZJJ and YJJ are members)
  D1 no list -> 10.00; C1 meetings 03-10 and 09-10 (11-10 after the snapshot): 2 / 4
  -> 30 x 2/4 = 15.00; total 25.00
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enforcement.plans.models import InspectionPlan
from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.registry.models import EnterpriseStatus
from hazards.models import DeadlineExtension, ExtensionStatus, HazardClass, HazardStatus
from responsibilities import appraisal_services as services
from responsibilities.appraisal_models import (
    AppraisalResult,
    Grade,
    IndicatorScore,
    ResultStatus,
)
from responsibilities.appraisal_rules import Period, get_rule
from responsibilities.committee_models import CommitteeMeeting
from responsibilities.duty_models import DutyItem, DutyItemStatus, DutyList
from responsibilities.models import CommitteeMembership, OrganisationKind
from tests.enforcement.factories import AccidentFactory, PlanTargetFactory
from tests.enterprises.factories_duties import PeriodFactory, small_template
from tests.factories import (
    AssignmentFactory,
    EnterpriseFactory,
    OrganisationFactory,
    SupervisionMapFactory,
)
from tests.hazards.factories import HazardFactory

YEAR = 2025
SNAPSHOT = datetime.date(2025, 10, 31)


def d(month: int, day: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, day)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


INDICATORS = (
    # code, name, kind, rule, points, towns, departments, committees
    ("D1", "责任清单完成率", "computed", "responsibilities.duty_items_completed", 10, 1, 1, 1),
    ("H1", "重大隐患按期销号", "computed", "hazards.major_closed_on_time", 20, 1, 1, 0),
    ("H2", "一般隐患整改率", "computed", "hazards.general_rectification_rate", 20, 1, 1, 0),
    ("E1", "执法检查计划完成率", "computed", "enforcement.inspections_against_plan", 20, 1, 1, 0),
    ("S1", "企业自评覆盖率", "computed", "enterprises.self_assessment_coverage", 10, 1, 1, 0),
    ("C1", "专委会会商研判", "computed", "responsibilities.committee_meetings_held", 30, 0, 0, 1),
    ("M1", "述职报告质量", "manual", "", 20, 1, 1, 1),
    ("V1", "较大及以上事故", "veto", "enforcement.serious_accident_veto", 0, 1, 1, 0),
)


@pytest.fixture
def county_2025(county, county_officer, town_official, department_official):
    """The hand-built data set of the module docstring."""
    c = county
    OrganisationFactory(code="AQW", name="县安全生产委员会", kind=OrganisationKind.SAFETY_COMMITTEE)
    c.committee = OrganisationFactory(
        code="ZWH-1", name="工贸行业专委会", kind=OrganisationKind.COMMITTEE
    )
    CommitteeMembership.objects.create(
        committee=c.committee, member=c.other_department, is_lead=True
    )
    CommitteeMembership.objects.create(committee=c.committee, member=c.department)
    # 2025's map swaps the leads of this year's (conftest) map
    map_2025 = SupervisionMapFactory(year=YEAR, title="2025年行业领域安全监管责任划分")
    AssignmentFactory(
        supervision_map=map_2025, industry=c.industry_a, department=c.other_department
    )
    AssignmentFactory(supervision_map=map_2025, industry=c.industry_b, department=c.department)
    AssignmentFactory(
        supervision_map=map_2025, industry=c.industry_a, department=c.department, is_lead=False
    )
    c.xdk_third = EnterpriseFactory(name="小渡口第三建筑公司", town=c.town, industry=c.industry_b)
    c.xdk_closed = EnterpriseFactory(
        name="小渡口已关闭建材厂",
        town=c.town,
        industry=c.industry_b,
        status=EnterpriseStatus.CLOSED,
    )

    # --- D1: T's duty list -------------------------------------------------------------
    duty_list = DutyList.objects.create(year=YEAR, owner=c.town, created_by=county_officer)
    for order, deadline, done_on in (
        (1, d(3, 31), d(3, 30)),
        (2, d(6, 30), d(7, 5)),
        (3, d(9, 30), None),
        (4, None, None),
        (5, d(12, 31), None),
    ):
        DutyItem.objects.create(
            duty_list=duty_list,
            order=order,
            content=f"第{order}项工作",
            deadline=deadline,
            status=DutyItemStatus.DONE if done_on else DutyItemStatus.PENDING,
            done_on=done_on,
        )

    # --- H1: major hazards ---------------------------------------------------------------
    def major(enterprise, found, deadline, closed=None, status=None, **extra):
        return HazardFactory(
            enterprise=enterprise,
            hazard_class=HazardClass.MAJOR,
            found_on=found,
            deadline=deadline,
            original_deadline=extra.pop("original_deadline", deadline),
            closed_on=closed,
            status=status or (HazardStatus.CLOSED if closed else HazardStatus.RECTIFYING),
            **extra,
        )

    c.m1 = major(c.xdk_chem, d(2, 1), d(3, 31), d(3, 20))
    c.m2 = major(c.xdk_build, d(4, 1), d(5, 31), d(6, 10))
    c.m3 = major(c.xdk_chem, d(6, 1), d(8, 31))
    c.m4 = major(c.xdk_build, d(7, 1), d(12, 31), d(11, 20), original_deadline=d(9, 30))
    c.m5 = major(c.xdk_chem, d(8, 1), d(11, 30), original_deadline=d(9, 15))
    c.m6 = major(c.xdk_chem, d(11, 1, 2024), d(1, 31), d(1, 20))
    c.m7 = major(c.ly_chem, d(3, 1), d(5, 1))
    c.m8 = major(c.xdk_chem, d(3, 1), d(5, 1), status=HazardStatus.VOIDED)
    for hazard, old, new, decided in (
        (c.m4, d(9, 30), d(12, 31), d(11, 15)),
        (c.m5, d(9, 15), d(11, 30), d(9, 1)),
    ):
        DeadlineExtension.objects.create(
            hazard=hazard,
            old_deadline=old,
            requested_deadline=new,
            reason="设备采购周期长",
            status=ExtensionStatus.APPROVED,
            requested_by=town_official,
            requested_at=at(decided - datetime.timedelta(days=5)),
            decided_by=county_officer,
            decided_at=at(decided),
        )

    # --- H2: general hazards ----------------------------------------------------------
    def general(enterprise, found, closed=None, status=None):
        return HazardFactory(
            enterprise=enterprise,
            hazard_class=HazardClass.GENERAL,
            found_on=found,
            deadline=found + datetime.timedelta(days=15),
            closed_on=closed,
            status=status or (HazardStatus.CLOSED if closed else HazardStatus.RECTIFYING),
        )

    c.g1 = general(c.xdk_chem, d(3, 1), d(3, 10))
    c.g2 = general(c.xdk_build, d(5, 1), d(5, 20))
    c.g3 = general(c.xdk_chem, d(9, 1), d(11, 5))
    c.g4 = general(c.xdk_build, d(10, 1))
    c.g5 = general(c.xdk_build, d(11, 5))
    c.g6 = general(c.xdk_chem, d(12, 20, 2024), d(12, 28, 2024))
    c.g7 = general(c.xdk_chem, d(4, 1), status=HazardStatus.VOIDED)
    c.g8 = general(c.ly_build, d(6, 1), d(6, 5))

    # --- E1: plans ----------------------------------------------------------------------
    plan = InspectionPlan.objects.create(
        unit=c.town, year=YEAR, title="小渡口镇2025年度执法检查计划", created_by=county_officer
    )
    for enterprise, month, done_on in (
        (c.xdk_chem, 3, d(3, 15)),
        (c.xdk_build, 5, d(6, 2)),
        (c.xdk_chem, 9, None),
        (c.xdk_build, 10, d(11, 3)),
        (c.xdk_chem, 11, None),
    ):
        PlanTargetFactory(
            plan=plan,
            enterprise=enterprise,
            month=month,
            done_on=done_on,
            assigned_to=town_official,
        )
    c.town_plan = plan
    dept_plan = InspectionPlan.objects.create(
        unit=c.department,
        year=YEAR,
        title="应急管理局2025年度执法检查计划",
        created_by=county_officer,
    )
    PlanTargetFactory(
        plan=dept_plan,
        enterprise=c.ly_build,
        month=2,
        done_on=d(2, 10),
        assigned_to=department_official,
    )

    # --- S1: self-assessments ------------------------------------------------------------
    period = PeriodFactory(year=YEAR, due_on=d(11, 30))
    template = small_template()
    for enterprise, status, submitted in (
        (c.xdk_chem, AssessmentStatus.ACCEPTED, d(6, 1)),
        (c.xdk_build, AssessmentStatus.DRAFT, None),
        (c.xdk_third, AssessmentStatus.SUBMITTED, d(11, 15)),
    ):
        SelfAssessment.objects.create(
            enterprise=enterprise,
            period=period,
            template=template,
            status=status,
            submitted_at=at(submitted) if submitted else None,
        )

    # --- C1: the committee's meetings ----------------------------------------------------
    for held in (d(3, 10), d(9, 10), d(11, 10)):
        CommitteeMeeting.objects.create(
            committee=c.committee,
            held_on=held,
            kind="analysis",
            topic="会商研判",
            minutes="纪要",
            recorded_by=county_officer,
        )

    # --- V1: one 一般 accident in T --------------------------------------------------------
    AccidentFactory(
        unit=c.town,
        town=c.town,
        industry=c.industry_b,
        party_name="小渡口建筑工程公司",
        occurred_at=at(d(8, 1)),
        deaths=1,
    )
    return c


def _scheme(actor):
    scheme = services.save_scheme(
        actor=actor, year=YEAR, title="2025年度安全生产考核方案", veto_cap=Decimal(30)
    )
    for order, (code, name, kind, rule, points, towns, depts, committees) in enumerate(INDICATORS):
        services.save_indicator(
            actor=actor,
            scheme=scheme,
            values={
                "code": code,
                "name": name,
                "kind": kind,
                "rule": rule,
                "method": "",
                "points": Decimal(points),
                "params": {},
                "for_towns": bool(towns),
                "for_departments": bool(depts),
                "for_committees": bool(committees),
                "description": "",
                "sort_order": order,
            },
        )
    return scheme


@pytest.fixture
def computed(county_2025, county_officer, django_capture_on_commit_callbacks):
    """The round opened and every result computed (the tasks run eagerly on commit)."""
    scheme = _scheme(county_officer)
    with django_capture_on_commit_callbacks(execute=True):
        round_ = services.open_round(actor=county_officer, scheme=scheme, snapshot_date=SNAPSHOT)
    return round_


def result_of(round_, unit) -> AppraisalResult:
    return AppraisalResult.objects.get(round=round_, unit=unit)


def figures(result) -> dict[str, tuple[int, int, Decimal | None]]:
    return {
        s.indicator.code: (s.counted, s.base, s.computed_points)
        for s in IndicatorScore.objects.filter(result=result).select_related("indicator")
    }


def P(value: str) -> Decimal:
    return Decimal(value)


def test_every_indicator_of_a_town_matches_the_hand_count(computed, county_2025):
    result = result_of(computed, county_2025.town)
    assert result.status == ResultStatus.DRAFT
    assert result.progress == 100
    assert figures(result) == {
        "D1": (2, 4, P("5.00")),
        "H1": (2, 5, P("8.00")),
        "H2": (2, 4, P("10.00")),
        "E1": (2, 4, P("10.00")),
        "S1": (1, 3, P("3.33")),
        "M1": (0, 0, None),
        "V1": (0, 0, P("0")),
    }
    assert result.computed_total == P("36.33")
    assert result.total == P("36.33")
    assert not result.vetoed
    assert result.grade == Grade.FAIL


def test_the_other_town_and_units_without_data(computed, county_2025):
    result = result_of(computed, county_2025.other_town)
    assert figures(result) == {
        "D1": (0, 0, P("10.00")),
        "H1": (0, 1, P("0.00")),
        "H2": (1, 1, P("20.00")),
        "E1": (0, 0, P("20.00")),
        "S1": (0, 2, P("0.00")),
        "M1": (0, 0, None),
        "V1": (0, 0, P("0")),
    }
    assert result.total == P("50.00")


def test_departments_are_judged_on_the_industries_they_lead_in_the_years_map(computed, county_2025):
    # 2025's map: YJJ leads B (co-operates on A: not counted), ZJJ leads A; this year's
    # map (the reverse) does not matter for 2025
    yjj = result_of(computed, county_2025.department)
    assert figures(yjj) == {
        "D1": (0, 0, P("10.00")),
        "H1": (0, 2, P("0.00")),
        "H2": (2, 3, P("13.33")),
        "E1": (1, 1, P("20.00")),
        "S1": (0, 3, P("0.00")),
        "M1": (0, 0, None),
        "V1": (0, 0, P("0")),
    }
    assert yjj.total == P("43.33")
    zjj = result_of(computed, county_2025.other_department)
    assert figures(zjj) == {
        "D1": (0, 0, P("10.00")),
        "H1": (2, 4, P("10.00")),
        "H2": (1, 2, P("10.00")),
        "E1": (0, 0, P("20.00")),
        "S1": (1, 2, P("5.00")),
        "M1": (0, 0, None),
        "V1": (0, 0, P("0")),
    }
    assert zjj.total == P("55.00")


def test_a_committee_gets_its_own_indicators(computed, county_2025):
    result = result_of(computed, county_2025.committee)
    assert figures(result) == {
        "D1": (0, 0, P("10.00")),
        "C1": (2, 4, P("15.00")),
        "M1": (0, 0, None),
    }
    assert result.total == P("25.00")


def test_the_evidence_lists_each_failing_record_with_its_page(computed, county_2025):
    c = county_2025
    result = result_of(computed, c.town)
    evidence = {
        s.indicator.code: list(s.evidence.values_list("label", "note", "url"))
        for s in IndicatorScore.objects.filter(result=result).select_related("indicator")
    }
    major = evidence["H1"]
    assert [url for _l, _n, url in major] == [f"/hazards/{h.pk}/" for h in (c.m2, c.m3, c.m4)]
    assert major[0][0].startswith("小渡口建筑工程公司：")
    assert (
        "2025-05-31" in major[0][1] and "2025-06-10" in major[0][1] and "逾期 10 天" in major[0][1]
    )
    assert "未销号" in major[1][1]
    # m4: the extension approved after the snapshot is not in force, the late closure not seen
    assert "2025-09-30" in major[2][1] and "未销号" in major[2][1]
    assert [url for _l, _n, url in evidence["H2"]] == [f"/hazards/{h.pk}/" for h in (c.g3, c.g4)]
    plan_page = f"/enforcement/plans/{c.town_plan.pk}/"
    assert [(label, url) for label, _n, url in evidence["E1"]] == [
        ("小渡口化工有限公司", plan_page + "?month=9"),
        ("小渡口建筑工程公司", plan_page + "?month=10"),
    ]
    assert [label for label, _n, _u in evidence["S1"]] == [
        "小渡口建筑工程公司",
        "小渡口第三建筑公司",
    ]
    assert len(evidence["D1"]) == 2
    assert evidence["V1"] == []


def test_records_urls_open_the_ledger_lists_of_the_records_judged(
    computed, county_2025, county_officer
):
    c = county_2025
    scores = {
        s.indicator.code: s.records_url
        for s in IndicatorScore.objects.filter(result=result_of(computed, c.town)).select_related(
            "indicator"
        )
    }
    assert scores["H1"] == f"/hazards/?town={c.town.pk}&hazard_class=major"
    assert scores["H2"] == (
        f"/hazards/?town={c.town.pk}&hazard_class=general"
        "&found_after=2025-01-01&found_before=2025-10-31"
    )
    assert scores["E1"] == f"/enforcement/plans/{c.town_plan.pk}/"
    assert scores["S1"] == f"/enterprises/?town={c.town.pk}&status=operating"
    assert scores["V1"] == f"/enforcement/accidents/?year=2025&town={c.town.pk}"
    client = Client()
    client.force_login(county_officer)
    hazards = client.get(scores["H2"])
    assert hazards.status_code == 200
    listed = {h.pk for h in hazards.context["page"].object_list}
    # the judged general hazards of T, and only those (the county office also sees the
    # voided one, marked 已作废, which the rule leaves out)
    assert listed == {c.g1.pk, c.g2.pk, c.g3.pk, c.g4.pk, c.g7.pk}
    majors = client.get(scores["H1"])
    assert {h.pk for h in majors.context["page"].object_list} >= {c.m1.pk, c.m2.pk, c.m3.pk}
    assert c.m7.pk not in {h.pk for h in majors.context["page"].object_list}
    enterprises = client.get(scores["S1"])
    assert {e.pk for e in enterprises.context["page"].object_list} == {
        c.xdk_chem.pk,
        c.xdk_build.pk,
        c.xdk_third.pk,
    }
    for url in (scores["E1"], scores["V1"]):
        assert client.get(url).status_code == 200


@pytest.fixture
def larger_accident(county_2025):
    """A 较大 accident (3 deaths) in T, industry B, in the year before the snapshot."""
    c = county_2025
    return AccidentFactory(
        unit=c.town,
        town=c.town,
        industry=c.industry_b,
        party_name="小渡口建筑工程公司",
        place="安置小区工地",
        occurred_at=at(d(7, 1)),
        deaths=3,
    )


def test_a_larger_accident_vetoes_the_town_and_the_lead_department_only(
    larger_accident, county_2025, county_officer, django_capture_on_commit_callbacks
):
    c = county_2025
    # and one in OT after the snapshot: not judged
    AccidentFactory(unit=c.other_town, town=c.other_town, occurred_at=at(d(11, 2)), deaths=4)
    scheme = _scheme(county_officer)
    with django_capture_on_commit_callbacks(execute=True):
        round_ = services.open_round(actor=county_officer, scheme=scheme, snapshot_date=SNAPSHOT)
    town = result_of(round_, c.town)
    veto = IndicatorScore.objects.get(result=town, indicator__code="V1")
    assert (veto.counted, veto.base, veto.vetoes) == (0, 1, True)
    assert list(veto.evidence.values_list("label", "note", "url")) == [
        (
            "2025-07-01 小渡口建筑工程公司（安置小区工地）",
            "较大事故：死亡 3 人，重伤 0 人",
            f"/enforcement/accidents/{larger_accident.pk}/",
        )
    ]
    assert town.vetoed
    assert town.computed_total == P("36.33")
    assert town.total == P("30")  # the scheme's veto cap
    assert town.grade == Grade.FAIL
    # B's lead department in 2025 is vetoed too; OT and A's lead are not
    assert result_of(round_, c.department).vetoed
    other = result_of(round_, c.other_town)
    assert not other.vetoed and other.total == P("50.00")
    assert not result_of(round_, c.other_department).vetoed


def test_a_general_accident_does_not_veto(computed, county_2025):
    # the fixture's 1-death accident in T is 一般
    veto = IndicatorScore.objects.get(
        result=result_of(computed, county_2025.town), indicator__code="V1"
    )
    assert (veto.counted, veto.base, veto.vetoes) == (0, 0, False)
    assert "未发生" in veto.summary


def test_a_grade_raised_by_a_later_supplement_is_not_known_at_the_snapshot(
    county_2025, larger_accident
):
    from enforcement.accidents.models import AccidentSupplement

    general = AccidentFactory(
        unit=county_2025.other_town,
        town=county_2025.other_town,
        occurred_at=at(d(9, 1)),
        deaths=1,
    )
    AccidentSupplement.objects.create(
        accident=general,
        recorded_at=at(d(11, 20)),
        recorded_by=general.recorded_by,
        note="伤员救治无效死亡",
        old_deaths=1,
        new_deaths=3,
        old_serious_injuries=0,
        new_serious_injuries=0,
        old_missing=0,
        new_missing=0,
        old_direct_loss=general.direct_loss,
        new_direct_loss=general.direct_loss,
        old_grade="general",
        new_grade="larger",
    )
    type(general).objects.filter(pk=general.pk).update(deaths=3, grade="larger")
    rule = get_rule("enforcement.serious_accident_veto")
    assert rule.measure(county_2025.other_town, Period(YEAR, SNAPSHOT), {}).base == 0
    later = rule.measure(county_2025.other_town, Period(YEAR, d(11, 30)), {})
    assert (later.counted, later.base) == (0, 1)


def _stored(result) -> list:
    return [
        (
            s.indicator.code,
            s.counted,
            s.base,
            s.computed_points,
            s.summary,
            s.records_url,
            s.vetoes,
            list(s.evidence.values_list("position", "label", "note", "url")),
        )
        for s in IndicatorScore.objects.filter(result=result)
        .select_related("indicator")
        .order_by("indicator__code")
    ]


def test_recomputing_gives_the_same_scores_and_evidence_even_after_later_changes(
    computed, county_2025, county_officer, django_capture_on_commit_callbacks
):
    c = county_2025
    result = result_of(computed, c.town)
    before = _stored(result)
    # records dated after the snapshot: a closure, a new hazard, a target done, a
    # self-assessment, a duty item done, a meeting
    type(c.g4).objects.filter(pk=c.g4.pk).update(status=HazardStatus.CLOSED, closed_on=d(11, 20))
    HazardFactory(enterprise=c.xdk_chem, found_on=d(11, 2))
    c.town_plan.targets.filter(month=9).update(done_on=d(11, 25))
    SelfAssessment.objects.filter(enterprise=c.xdk_build).update(
        status=AssessmentStatus.SUBMITTED, submitted_at=at(d(11, 26))
    )
    DutyItem.objects.filter(order=3).update(status=DutyItemStatus.DONE, done_on=d(11, 27))
    with django_capture_on_commit_callbacks(execute=False):
        services.recompute(actor=county_officer, result_id=result.pk)
    assert AppraisalResult.objects.get(pk=result.pk).status == ResultStatus.COMPUTING
    assert services.compute_result(result.pk) == ResultStatus.DRAFT
    result.refresh_from_db()
    assert _stored(result) == before
    assert result.total == P("36.33")
    # and a second run on the same data changes nothing either
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute(actor=county_officer, result_id=result.pk)
    assert _stored(result) == before


def test_a_reviewers_manual_score_counts_and_survives_recomputation(
    computed, county_2025, county_officer, django_capture_on_commit_callbacks
):
    result = result_of(computed, county_2025.town)
    score = IndicatorScore.objects.select_related("indicator", "result").get(
        result=result, indicator__code="M1"
    )
    services.adjust_score(actor=county_officer, score=score, points="16", reason="述职报告较全面")
    result.refresh_from_db()
    assert result.total == P("52.33")
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute(actor=county_officer, result_id=result.pk)
    result.refresh_from_db()
    assert result.total == P("52.33")


RULES = (
    "hazards.major_closed_on_time",
    "hazards.general_rectification_rate",
    "enforcement.inspections_against_plan",
    "enforcement.serious_accident_veto",
    "enterprises.self_assessment_coverage",
)


def _queries(rule_code, unit) -> int:
    rule = get_rule(rule_code)
    with CaptureQueriesContext(connection) as captured:
        rule.measure(unit, Period(YEAR, SNAPSHOT), {})
    return len(captured)


@pytest.mark.parametrize("rule_code", RULES)
def test_each_rules_queries_do_not_grow_with_the_records(county_2025, rule_code, larger_accident):
    c = county_2025
    few = {unit: _queries(rule_code, unit) for unit in (c.town, c.department)}
    # ten times the failing records of every kind, in T and in B
    for n in range(10):
        enterprise = EnterpriseFactory(town=c.town, industry=c.industry_b)
        HazardFactory(
            enterprise=enterprise,
            hazard_class=HazardClass.MAJOR,
            found_on=d(3, 1),
            deadline=d(4, 1),
        )
        HazardFactory(enterprise=enterprise, found_on=d(4, 1 + n))
        PlanTargetFactory(
            plan=c.town_plan, enterprise=enterprise, month=4, assigned_to=c.town_plan.created_by
        )
        AccidentFactory(
            unit=c.town, town=c.town, industry=c.industry_b, occurred_at=at(d(5, 1 + n)), deaths=3
        )
    many = {unit: _queries(rule_code, unit) for unit in (c.town, c.department)}
    assert many == few
    assert max(few.values()) <= 3


def test_rules_are_registered_by_the_apps_owning_the_ledgers():
    for code in RULES:
        rule = get_rule(code)
        assert rule is not None
        assert rule.measure.__module__.split(".")[0] == code.split(".")[0]
    assert get_rule("enforcement.serious_accident_veto").method == "veto"
