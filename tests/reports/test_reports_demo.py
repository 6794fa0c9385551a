"""The demo's bulletins: the last two half months issued in order, numbered 1 and 2 of the
year, each once however often the demo loads."""

from __future__ import annotations

import datetime
import io

from safetyportal.core.reports import last_half_month
from safetyportal.dashboard.models import Report, ReportStatus
from safetyportal.dashboard.reports.demo import load_reports_demo


def test_demo_issues_the_last_two_bulletins_once(majors, county_officer):
    today = datetime.date(2026, 11, 20)
    first = load_reports_demo(io.StringIO(), today=today)
    assert [r.number for r in first] == ["澧安办通〔2026〕1号", "澧安办通〔2026〕2号"]
    latest = last_half_month(today)
    assert (first[1].period_start, first[1].period_end) == latest[:2]
    assert first[0].period_end == latest[0] - datetime.timedelta(days=1)
    assert all(r.status != ReportStatus.DRAFT and r.content["totals"] for r in first)
    again = load_reports_demo(io.StringIO(), today=today)
    assert [r.pk for r in again] == [r.pk for r in first]
    assert Report.objects.count() == 2
