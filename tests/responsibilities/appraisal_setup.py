"""A small appraisal on the conftest county, for the page, API and browser tests: the
county's 安委会, a 危化品专委会 (应急管理局 leads, 住建局 is a member), last year's scheme
with three indicators scored by the responsibilities rules only (duty items, committee
meetings) and one manual indicator, and the town's duty list (3 of 4 items done).

    D1 责任清单完成率   computed 40  towns, departments, committees
    C1 专委会会商研判   computed 40  committees (4 meetings required; 2 held)
    M1 述职评议         manual   20  towns, departments, committees

Computed by hand: 小渡口镇 D1 = 40 x 3/4 = 30.00; the 专委会 C1 = 40 x 2/4 = 20.00; units
without a duty list get D1's full 40 (nothing to judge)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from responsibilities import appraisal_services
from responsibilities.appraisal_models import AppraisalResult, IndicatorKind
from responsibilities.committee_models import CommitteeMeeting
from responsibilities.duty_models import DutyItem, DutyItemStatus, DutyList
from responsibilities.models import CommitteeMembership, OrganisationKind
from tests.factories import OrganisationFactory

DUTY_RULE = "responsibilities.duty_items_completed"
MEETING_RULE = "responsibilities.committee_meetings_held"


def appraisal_year() -> int:
    return timezone.localdate().year - 1


def build_scheme(county, officer, *, year: int | None = None):
    """The county's 安委会 and 专委会, the town's duty list and the scheme (no round)."""
    year = year or appraisal_year()
    safety_committee = OrganisationFactory(
        code="AWH", name="县安委会", kind=OrganisationKind.SAFETY_COMMITTEE
    )
    committee = OrganisationFactory(
        code="WHP", name="危险化学品专委会", kind=OrganisationKind.COMMITTEE
    )
    CommitteeMembership.objects.create(committee=committee, member=county.department, is_lead=True)
    CommitteeMembership.objects.create(committee=committee, member=county.other_department)
    duty_list = DutyList.objects.create(year=year, owner=county.town, created_by=officer)
    for order in range(1, 5):
        done = order <= 3
        DutyItem.objects.create(
            duty_list=duty_list,
            order=order,
            content=f"第{order}项责任",
            deadline=datetime.date(year, 6, 30),
            status=DutyItemStatus.DONE if done else DutyItemStatus.PENDING,
            done_on=datetime.date(year, 6, 1) if done else None,
        )
    for month in (3, 9):
        CommitteeMeeting.objects.create(
            committee=committee,
            held_on=datetime.date(year, month, 10),
            topic=f"{month}月会商研判",
            recorded_by=officer,
        )
    scheme = appraisal_services.save_scheme(
        actor=officer, year=year, title=f"{year}年度安全生产考核方案"
    )
    indicators = [
        {
            "code": "D1",
            "name": "责任清单完成率",
            "kind": IndicatorKind.COMPUTED,
            "rule": DUTY_RULE,
            "points": Decimal(40),
            "for_committees": True,
            "sort_order": 1,
        },
        {
            "code": "C1",
            "name": "专委会会商研判",
            "kind": IndicatorKind.COMPUTED,
            "rule": MEETING_RULE,
            "points": Decimal(40),
            "params": {"required": 4},
            "for_towns": False,
            "for_departments": False,
            "for_committees": True,
            "sort_order": 2,
        },
        {
            "code": "M1",
            "name": "述职评议",
            "kind": IndicatorKind.MANUAL,
            "points": Decimal(20),
            "for_committees": True,
            "sort_order": 3,
        },
    ]
    for values in indicators:
        defaults = {
            "rule": "",
            "method": "",
            "params": {},
            "for_towns": True,
            "for_departments": True,
            "for_committees": False,
            "description": "",
        }
        appraisal_services.save_indicator(actor=officer, scheme=scheme, values=defaults | values)
    return SimpleNamespace(
        year=year,
        scheme=scheme,
        safety_committee=safety_committee,
        committee=committee,
        duty_list=duty_list,
    )


def open_and_compute(setup, officer, *, compute: bool = True):
    """Open the round (snapshot: the year's end) and compute every result in this process."""
    setup.round = appraisal_services.open_round(
        actor=officer, scheme=setup.scheme, snapshot_date=datetime.date(setup.year, 12, 31)
    )
    if compute:
        for pk in AppraisalResult.objects.filter(round=setup.round).values_list("pk", flat=True):
            appraisal_services.compute_result(pk)
    return setup.round


def result_of(setup, unit) -> AppraisalResult:
    return AppraisalResult.objects.get(round=setup.round, unit=unit)
