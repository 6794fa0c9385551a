"""enforcement.reports_handled_on_time on a hand-built set of reports handled by 小渡口镇
in 2025, judged on 2025-12-31 (enforcement/reports/appraisal.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enforcement.reports import services
from enforcement.reports.models import Report, ReportStatus
from responsibilities.appraisal_rules import Method, Period, get_rule, points_for

SNAPSHOT = datetime.date(2025, 12, 31)
D = datetime.date


def _report(county, unit, status=ReportStatus.CLOSED, **dates) -> Report:
    report = services.submit_report(
        kind="hazard",
        enterprise_name=county.xdk_chem.name,
        location="仓库",
        description="消防通道被堵",
    )
    Report.objects.filter(pk=report.pk).update(unit=unit, status=status, **dates)
    return report


@pytest.fixture
def reports(county):
    town, other = county.town, county.other_town
    made = {
        # verified and fed back within both deadlines: on time
        "on_time": _report(
            county,
            town,
            accepted_on=D(2025, 3, 1),
            verify_due=D(2025, 3, 31),
            verified_on=D(2025, 3, 20),
            feedback_due=D(2025, 4, 15),
            feedback_on=D(2025, 4, 10),
        ),
        # verified after its deadline: late
        "verified_late": _report(
            county,
            town,
            accepted_on=D(2025, 4, 1),
            verify_due=D(2025, 4, 30),
            verified_on=D(2025, 5, 10),
            feedback_due=D(2025, 5, 25),
            feedback_on=D(2025, 5, 20),
        ),
        # never verified, deadline passed: late
        "not_verified": _report(
            county,
            town,
            status=ReportStatus.VERIFYING,
            accepted_on=D(2025, 6, 1),
            verify_due=D(2025, 6, 30),
        ),
        # fed back only after the snapshot, its feedback deadline long past: late then
        "fed_back_after_snapshot": _report(
            county,
            town,
            accepted_on=D(2025, 5, 1),
            verify_due=D(2025, 5, 31),
            verified_on=D(2025, 5, 20),
            feedback_due=D(2025, 6, 15),
            feedback_on=D(2026, 1, 5),
        ),
        # still within its deadline on the snapshot: not judged
        "pending": _report(
            county,
            town,
            status=ReportStatus.ACCEPTED,
            accepted_on=D(2025, 12, 20),
            verify_due=D(2026, 1, 19),
        ),
        # not counted: another unit's, a rejected one, one accepted the year before
        "other_unit": _report(
            county,
            other,
            status=ReportStatus.ACCEPTED,
            accepted_on=D(2025, 6, 1),
            verify_due=D(2025, 6, 30),
        ),
        "rejected": _report(county, town, status=ReportStatus.REJECTED, accepted_on=D(2025, 6, 1)),
        "last_year": _report(
            county,
            town,
            status=ReportStatus.ACCEPTED,
            accepted_on=D(2024, 12, 1),
            verify_due=D(2024, 12, 31),
        ),
    }
    return made


def test_reports_handled_on_time_matches_the_hand_count(county, reports):
    rule = get_rule("enforcement.reports_handled_on_time")
    measure = rule.measure(county.town, Period(2025, SNAPSHOT), {})
    # judged: on_time, verified_late, not_verified, fed_back_after_snapshot = 4; on time: 1
    assert (measure.counted, measure.base) == (1, 4)
    late = [
        reports[name].pk for name in ("verified_late", "not_verified", "fed_back_after_snapshot")
    ]
    assert [f"举报 {pk}：小渡口化工有限公司" for pk in sorted(late)] == [
        evidence.label for evidence in measure.failures
    ]
    assert all(
        f"/reports/{pk}/" in e.url for pk, e in zip(sorted(late), measure.failures, strict=True)
    )
    # 10 points x 1 / 4
    assert points_for(Decimal(10), measure, Method.RATE, {})[0] == Decimal("2.50")
    assert measure.records_url.endswith(f"?unit={county.town.pk}")


def test_the_evidence_never_names_the_reporter(county, reports):
    named = services.submit_report(
        kind="hazard",
        enterprise_name="某化工厂",
        location="仓库",
        description="夜间违规动火",
        name="张举报",
        phone="13912345678",
    )
    Report.objects.filter(pk=named.pk).update(
        unit=county.town,
        status=ReportStatus.VERIFYING,
        accepted_on=D(2025, 7, 1),
        verify_due=D(2025, 7, 31),
    )
    measure = get_rule("enforcement.reports_handled_on_time").measure(
        county.town, Period(2025, SNAPSHOT), {}
    )
    text = repr(measure)
    assert "某化工厂" in text and "张举报" not in text and "13912345678" not in text


def test_its_queries_do_not_grow_with_the_reports(county, reports):
    rule = get_rule("enforcement.reports_handled_on_time")
    with CaptureQueriesContext(connection) as few:
        rule.measure(county.town, Period(2025, SNAPSHOT), {})
    for _ in range(10):
        _report(
            county,
            county.town,
            status=ReportStatus.VERIFYING,
            accepted_on=D(2025, 8, 1),
            verify_due=D(2025, 8, 31),
        )
    with CaptureQueriesContext(connection) as many:
        measure = rule.measure(county.town, Period(2025, SNAPSHOT), {})
    assert measure.base == 14 and len(many) == len(few) <= 2
