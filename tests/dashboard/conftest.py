"""A small hand-built county for the dashboards: every figure below is counted by hand.

All dates are in last year (Y), a whole calendar year, so the figures do not depend on
today's date; the year before (Y-1) is the 同比 period.

    hazards found in Y (not voided)        town 小渡口镇 (industry A: 应急管理局)
      xdk_chem general closed   Y-03-01      xdk_chem general open, deadline Y-05-01 (overdue)
      xdk_chem major closed     Y-05-01      xdk_chem major open, deadline Y-07-01 (overdue)
      xdk_chem general voided   Y-04-02 (not counted)
                                           town 澧阳街道 (industry B: 住建局)
      ly_build general closed   Y-02-10      ly_build general open, deadline today + 30
    and one hazard found in Y-1 (June): counted in the trend's last year only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from enforcement.cases.models import Case
from enforcement.inspections.models import Inspection, InspectionStatus
from enforcement.reports.models import Outcome, Report, ReportStatus
from enforcement.reports.services import submit_report
from enterprises.duties.models import ComplianceStatus
from hazards.models import HazardClass, HazardStatus
from tests.enforcement.factories import (
    AccidentFactory,
    DelegatedItemFactory,
    InspectionPlanFactory,
    PlanTargetFactory,
)
from tests.hazards.factories import HazardFactory, RiskPointFactory


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def small_county(county, county_officer, town_official):
    today = timezone.localdate()
    Y = today.year - 1
    d = datetime.date
    closed, open_ = HazardStatus.CLOSED, HazardStatus.RECTIFYING
    major, general = HazardClass.MAJOR, HazardClass.GENERAL

    def hazard(enterprise, found, status, hazard_class=general, deadline=None):
        return HazardFactory(
            enterprise=enterprise,
            found_on=found,
            deadline=deadline or found + datetime.timedelta(days=30),
            status=status,
            hazard_class=hazard_class,
            closed_on=found + datetime.timedelta(days=10) if status == closed else None,
        )

    hazard(county.xdk_chem, d(Y, 3, 1), closed)
    hazard(county.xdk_chem, d(Y, 4, 1), open_, deadline=d(Y, 5, 1))
    hazard(county.xdk_chem, d(Y, 4, 2), HazardStatus.VOIDED)
    hazard(county.xdk_chem, d(Y, 5, 1), closed, major)
    hazard(county.xdk_chem, d(Y, 6, 1), open_, major, deadline=d(Y, 7, 1))
    hazard(county.ly_build, d(Y, 2, 10), closed)
    hazard(county.ly_build, d(Y, 12, 20), open_, deadline=today + datetime.timedelta(days=30))
    hazard(county.ly_build, d(Y - 1, 6, 1), closed)

    # accidents: Y 2 with 3 deaths (both in 小渡口镇); Y-1 4 with 4 deaths (3 in 澧阳街道)
    for town, day, deaths in (
        (county.town, d(Y, 3, 10), 2),
        (county.town, d(Y, 8, 1), 1),
        (county.town, d(Y - 1, 5, 5), 1),
        (county.other_town, d(Y - 1, 5, 6), 1),
        (county.other_town, d(Y - 1, 9, 9), 1),
        (county.other_town, d(Y - 1, 11, 30), 1),
    ):
        AccidentFactory(unit=town, town=town, occurred_at=aware(day), deaths=deaths)

    # inspections in Y: 3 submitted (2 of xdk_chem, 1 of ly_build), 1 draft (not counted)
    def inspection(enterprise, day, status=InspectionStatus.SUBMITTED):
        return Inspection(
            unit=enterprise.town,
            enterprise=enterprise,
            town=enterprise.town,
            inspected_on=day,
            status=status,
            created_by=county_officer,
        )

    Inspection.objects.bulk_create(
        [
            inspection(county.xdk_chem, d(Y, 3, 3)),
            inspection(county.xdk_chem, d(Y, 9, 3)),
            inspection(county.ly_build, d(Y, 4, 4)),
            inspection(county.ly_build, d(Y, 4, 5), InspectionStatus.DRAFT),
        ]
    )
    # 小渡口镇's plan for Y: 4 targets, 3 done
    plan = InspectionPlanFactory(unit=county.town, year=Y, created_by=county_officer)
    for month, done in ((3, True), (4, True), (9, True), (10, False)):
        PlanTargetFactory(
            plan=plan,
            enterprise=county.xdk_chem,
            month=month,
            done_on=d(Y, month, 5) if done else None,
            assigned_to=town_official,
        )

    # cases filed in Y: 小渡口镇 2 general, 1 simple; 澧阳街道 1 simple; one in Y-1
    item = DelegatedItemFactory(code="WT-DASH", delegating_department=county.department)

    def case(enterprise, procedure, filed):
        return Case(
            unit=enterprise.town,
            town=enterprise.town,
            procedure=procedure,
            item=item,
            enterprise=enterprise,
            party_kind="organisation",
            party_name=enterprise.name,
            facts="未设置安全警示标志",
            status="filed",
            filed_on=filed,
            created_by=county_officer,
        )

    Case.objects.bulk_create(
        [
            case(county.xdk_chem, "general", d(Y, 2, 2)),
            case(county.xdk_chem, "general", d(Y, 6, 2)),
            case(county.xdk_build, "simple", d(Y, 7, 7)),
            case(county.ly_build, "simple", d(Y, 8, 8)),
            case(county.ly_build, "simple", d(Y - 1, 8, 8)),
        ]
    )

    # stored compliance results: insurance fails at xdk_chem and ly_build, documents at
    # xdk_build, the staffing check passes at xdk_chem
    def status(enterprise, duty, result):
        return ComplianceStatus(
            enterprise=enterprise,
            duty=duty,
            status=result,
            checked_on=today,
            enterprise_name=enterprise.name,
            town=enterprise.town,
            industry=enterprise.industry,
        )

    ComplianceStatus.objects.bulk_create(
        [
            status(county.xdk_chem, "insurance", "missing"),
            status(county.ly_build, "insurance", "expired"),
            status(county.xdk_build, "documents", "missing"),
            status(county.xdk_chem, "staffing", "pass"),
        ]
    )

    # risk points: red (10x6x15=900) and orange (3x6x15=270) at xdk_chem, blue at ly_build
    RiskPointFactory(enterprise=county.xdk_chem, likelihood=Decimal("10"))
    RiskPointFactory(enterprise=county.xdk_chem)
    RiskPointFactory(
        enterprise=county.ly_build,
        likelihood=Decimal("1"),
        exposure=Decimal("1"),
        consequence=Decimal("1"),
    )

    # whistleblower reports received in Y: in 小渡口镇 one handled on time, one overdue (its
    # verification deadline passed, not verified) and one rejected; in 澧阳街道 one
    # substantiated but fed back late; one received in Y-1 (not counted)
    def report(town, received_on, **fields):
        made = submit_report(
            kind="hazard", enterprise_name="某企业", location="车间", description="隐患"
        )
        Report.objects.filter(pk=made.pk).update(town=town, received_on=received_on, **fields)

    report(
        county.town,
        d(Y, 3, 1),
        status=ReportStatus.CLOSED,
        accepted_on=d(Y, 3, 2),
        verify_due=d(Y, 4, 1),
        verified_on=d(Y, 3, 20),
        feedback_due=d(Y, 4, 15),
        feedback_on=d(Y, 4, 1),
        outcome=Outcome.UNSUBSTANTIATED,
    )
    report(
        county.town,
        d(Y, 6, 1),
        status=ReportStatus.VERIFYING,
        accepted_on=d(Y, 6, 2),
        verify_due=d(Y, 6, 30),
    )
    report(county.town, d(Y, 7, 1), status=ReportStatus.REJECTED)
    report(
        county.other_town,
        d(Y, 8, 1),
        status=ReportStatus.CLOSED,
        accepted_on=d(Y, 8, 2),
        verify_due=d(Y, 9, 1),
        verified_on=d(Y, 8, 20),
        feedback_due=d(Y, 9, 5),
        feedback_on=d(Y, 9, 20),
        outcome=Outcome.SUBSTANTIATED,
    )
    report(county.town, d(Y - 1, 12, 1), status=ReportStatus.REJECTED)
    return SimpleNamespace(year=Y, today=today)
