"""The half-monthly major-hazard bulletin: content and order of its sections, the draft the
periodic job prepares, the preview, issue with its yearly number, and the PDF."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safetyportal.audit.models import AuditEvent
from safetyportal.dashboard.models import Report, ReportNumber, ReportStatus
from safetyportal.dashboard.report_kinds import BULLETIN
from safetyportal.dashboard.reports import bulletin, jobs, services
from safetyportal.dashboard.tasks import draft_major_hazard_bulletin
from safetyportal.notifications.models import Notification
from tests.pdf import pdf_text

# 60 overdue rows: the tables run over this many A4 pages (measured once, then fixed)
PAGES_OF_SIXTY = 4


def test_sections_put_the_overdue_first_longest_overdue_first(majors, period):
    content = bulletin.snapshot(period_start=period.start, period_end=period.end)
    numbers = {
        key: [r["list_number"] for r in content[key]]
        for key in ("overdue", "new", "closed", "open")
    }
    assert numbers == {
        "overdue": ["LX-001", "LX-002"],
        "new": ["LX-003"],
        "closed": ["LX-004"],
        "open": ["LX-003"],
    }
    assert [r["days_overdue"] for r in content["overdue"]] == [30, 3]
    assert content["totals"] == {
        "listed": 5,
        "closed": 2,
        "open": 3,
        "overdue": 2,
        "new": 1,
        "closed_in_period": 1,
        "rate": 40.0,
    }
    # the town chart: open major hazards per town, the overdue part
    assert sorted(map(tuple, content["towns"])) == [("小渡口镇", 2, 1), ("澧阳街道", 1, 1)]


def test_the_periodic_job_drafts_once_and_tells_the_county_office_once(
    majors, period, county_officer, town_official
):
    first = draft_major_hazard_bulletin()
    second = draft_major_hazard_bulletin()
    assert first == second
    report = Report.objects.get()
    assert (report.kind, report.status, report.unit) == (BULLETIN, ReportStatus.DRAFT, None)
    assert (report.period_start, report.period_end) == (period.start, period.end)
    assert report.title == f"重大事故隐患治理情况通报（{period.label}）"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "county_officer"
    ]
    assert AuditEvent.objects.filter(verb="report.drafted").count() == 1


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 3, 16), (datetime.date(2026, 3, 1), datetime.date(2026, 3, 15))),
        (datetime.date(2026, 3, 1), (datetime.date(2026, 2, 16), datetime.date(2026, 2, 28))),
        (datetime.date(2026, 1, 1), (datetime.date(2025, 12, 16), datetime.date(2025, 12, 31))),
    ],
)
def test_the_draft_is_for_the_half_month_just_ended(county, county_officer, today, expected):
    report = jobs.draft_bulletin(today=today)
    assert (report.period_start, report.period_end) == expected


def test_preview_shows_the_draft_to_the_county_office_only(
    majors, county_officer, leader, town_official, enterprise_manager, client_for
):
    report = jobs.draft_bulletin()
    url = reverse("reports:preview", args=[report.pk])
    page = client_for(county_officer).get(url).content.decode()
    assert "（签发时编号）" in page and 'data-testid="issue"' in page
    assert page.index("液氨储罐安全阀超期未检") < page.index("深基坑支护未按方案施工")
    assert page.index('data-testid="section-overdue"') < page.index('data-testid="section-new"')
    # leaders read it, without the issue button
    leader_page = client_for(leader).get(url).content.decode()
    assert "液氨储罐安全阀超期未检" in leader_page and 'data-testid="issue"' not in leader_page
    assert client_for(town_official).get(url).status_code == 404  # a draft is not theirs
    assert client_for(enterprise_manager).get(url).status_code == 404


def test_issue_takes_the_next_number_of_the_year_and_freezes_the_content(
    majors, period, county_officer, client_for
):
    report = jobs.draft_bulletin()
    earlier = jobs.draft_bulletin(today=period.start)  # the half month before
    client = client_for(county_officer)
    assert client.post(reverse("reports:issue", args=[earlier.pk])).status_code == 302
    response = client.post(reverse("reports:issue", args=[report.pk]))
    assert response.status_code == 302
    year = timezone.localdate().year
    report.refresh_from_db()
    earlier.refresh_from_db()
    assert earlier.number == f"澧安办通〔{year}〕1号"
    assert report.number == f"澧安办通〔{year}〕2号"
    assert report.status == ReportStatus.PENDING
    assert [r["list_number"] for r in report.content["overdue"]] == ["LX-001", "LX-002"]
    assert ReportNumber.objects.get(kind=BULLETIN, year=year).last_number == 2
    event = AuditEvent.objects.get(verb="report.issued", target_id=report.pk)
    assert event.payload["number"] == report.number
    # issuing twice is refused and changes nothing
    again = client.post(reverse("reports:issue", args=[report.pk]), follow=True)
    assert "不能再次签发" in again.content.decode()
    assert ReportNumber.objects.get(kind=BULLETIN, year=year).last_number == 2


def test_issue_is_refused_to_others_and_to_get(
    majors, county_officer, leader, town_official, client_for
):
    report = jobs.draft_bulletin()
    url = reverse("reports:issue", args=[report.pk])
    assert client_for(leader).post(url).status_code == 403
    assert client_for(town_official).post(url).status_code == 404
    assert client_for(county_officer).get(url).status_code == 405
    report.refresh_from_db()
    assert (report.status, report.number) == (ReportStatus.DRAFT, "")
    assert not ReportNumber.objects.exists()


def test_a_period_not_over_cannot_be_issued(county, county_officer, client_for):
    today = timezone.localdate()
    report = services.request_report(
        actor=county_officer,
        kind=BULLETIN,
        unit=None,
        period_start=today - datetime.timedelta(days=3),
        period_end=today,
        period_label="本期",
    )
    response = client_for(county_officer).post(
        reverse("reports:issue", args=[report.pk]), follow=True
    )
    assert "期满后才能签发" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.number == ""


def stored_pdf(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def _issued(county_officer):
    report = jobs.draft_bulletin()
    return services.issue_report(actor=county_officer, report_id=report.pk)


def test_issued_bulletin_pdf_has_number_period_and_overdue_first(majors, period, county_officer):
    report = _issued(county_officer)
    assert jobs.build_report(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    text = pdf_text(stored_pdf(report))
    assert "重大事故隐患治理情况通报" in text
    assert report.number in text and period.label in text
    assert report.pages == 2 and "第 2 页，共 2 页" in text
    flat = "".join(text.split())
    assert flat.index("一、逾期未完成整改") < flat.index("二、本期新增列入清单")
    assert flat.index("液氨储罐安全阀超期未检") < flat.index("反应釜紧急切断装置失效")
    assert "消防通道堆放杂物" not in flat  # general hazards are not in the bulletin
    assert report.file_name == f"重大事故隐患治理情况通报（{period.label}）.pdf"


def test_long_bulletin_breaks_tables_across_pages_with_the_header_repeated(
    county, period, county_officer, make_major
):
    for n in range(60):
        make_major(
            county.xdk_chem if n % 2 else county.ly_chem,
            number=f"LX-{n:03d}",
            found_on=period.start - datetime.timedelta(days=90),
            deadline=period.end - datetime.timedelta(days=n + 1),
            description=f"第{n}号储罐区防爆电气设备失效，未按期整改到位",
        )
    report = _issued(county_officer)
    jobs.build_report(report.pk)
    report.refresh_from_db()
    content = stored_pdf(report)
    assert report.pages == PAGES_OF_SIXTY
    for page in range(1, report.pages + 1):
        text = pdf_text(content, first=page, last=page)
        assert f"第 {page} 页，共 {report.pages} 页" in text
        assert report.number in text  # the running header
    # the overdue table continues on page 2 under its repeated header row
    second = "".join(pdf_text(content, first=2, last=2).split())
    assert "清单编号" in second and "逾期天数" in second


def test_bulletin_content_costs_the_same_queries_for_few_or_many_hazards(
    majors, county, period, make_major, django_assert_num_queries
):
    """Totals and the town chart are aggregated in SQL; the sections come from one query:
    three queries whether the county lists five major hazards or fifty."""
    from safetyportal.dashboard.reports.bulletin import snapshot

    with django_assert_num_queries(3):
        few = snapshot(period_start=period.start, period_end=period.end)
    day = datetime.timedelta(days=1)
    for n in range(45):
        make_major(
            county.ly_build if n % 2 else county.xdk_build,
            number=f"LX-{100 + n}",
            found_on=period.start - 40 * day,
            deadline=period.end - (n % 5) * day,
        )
    with django_assert_num_queries(3):
        many = snapshot(period_start=period.start, period_end=period.end)
    assert many["totals"]["listed"] == few["totals"]["listed"] + 45
    assert sum(open_ for _town, open_, _late in many["towns"]) == many["totals"]["open"]
    assert sum(late for _town, _open, late in many["towns"]) == many["totals"]["overdue"]
