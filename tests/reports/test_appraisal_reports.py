"""The year-end appraisal reports (ADR 0047): a unit's report and the county summary, read
from the round's stored scores; their text, page counts and file names; who may request,
read and download them (the unpublished case); the appraisal pages' buttons; and the
year-end job that generates them once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from responsibilities import appraisal_services
from responsibilities.appraisal_models import (
    AppraisalResult,
    IndicatorScore,
    ResultStatus,
    ScoreEvidence,
)
from responsibilities.report_kinds import APPRAISAL_COUNTY, APPRAISAL_UNIT
from safetyportal.audit.models import AuditEvent
from safetyportal.core.reports import year_period
from safetyportal.dashboard.models import Report, ReportStatus
from safetyportal.dashboard.reports import services
from safetyportal.dashboard.reports.appraisal_jobs import generate_appraisal_reports as run_job
from safetyportal.dashboard.tasks import build_report, queue_build
from tests.pdf import pdf_text
from tests.responsibilities.appraisal_setup import build_scheme, open_and_compute, result_of

SELF_REPORT = "本镇重大隐患已全部交办到位，个别一般隐患已纳入下年度跟踪清单。"
REVIEW_NOTE = "经考核组评议，同意该得分。"
APPROVAL_NOTE = "同意，予以公布。"


def stored_pdf(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def status_of(client, url) -> int:
    """A GET's status, the response closed (a download holds the file open)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end: the test client closes it
    return response.status_code


def flat(text: str) -> str:
    """PDF text without the layout's spaces and line breaks (table cells wrap)."""
    return "".join(text.split())


@pytest.fixture
def setup(county, county_officer):
    setup = build_scheme(county, county_officer)
    open_and_compute(setup, county_officer)
    return setup


def _approve(setup, officer, leader, town_official):
    town = result_of(setup, setup.town)
    appraisal_services.comment(actor=town_official, result_id=town.pk, self_report=SELF_REPORT)
    for result in AppraisalResult.objects.filter(round=setup.round):
        for score in IndicatorScore.objects.filter(result=result, indicator__code="M1"):
            appraisal_services.adjust_score(
                actor=officer, score=score, points=15, reason="述职报告内容全面，酌情扣分"
            )
        appraisal_services.submit_review(
            actor=officer, result_id=result.pk, review_note=REVIEW_NOTE
        )
        appraisal_services.approve(actor=leader, result_id=result.pk, note=APPROVAL_NOTE)


@pytest.fixture
def approved(setup, county, county_officer, leader, town_official):
    setup.town = county.town
    _approve(setup, county_officer, leader, town_official)
    return setup


@pytest.fixture
def published(approved, county_officer):
    appraisal_services.publish_round(actor=county_officer, round_=approved.round)
    return approved


def _request(actor, kind, unit, year) -> Report:
    start, end, label = year_period(year)
    return services.request_report(
        actor=actor, kind=kind, unit=unit, period_start=start, period_end=end, period_label=label
    )


def _evidence(score, count: int) -> None:
    """Replace a score's evidence by `count` hand-made rows."""
    ScoreEvidence.objects.filter(score=score).delete()
    ScoreEvidence.objects.bulk_create(
        ScoreEvidence(
            score=score,
            position=n,
            label=f"第{n}项责任清单事项（小渡口镇）",
            note="到期未完成，扣减相应分值",
        )
        for n in range(1, count + 1)
    )


# --- the documents ---------------------------------------------------------------------------------


def test_unit_report_says_what_the_stored_result_says(published, county, county_officer):
    year = published.year
    report = _request(county_officer, APPRAISAL_UNIT, county.town, year)
    assert report.file_name == f"{year}年度小渡口镇安全生产考核报告.pdf"
    assert build_report(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    text = flat(pdf_text(stored_pdf(report)))
    assert f"{year}年度小渡口镇安全生产考核报告" in text
    # D1 = 40 x 3/4 = 30.00, M1 = 15 (the reviewer's, with the reason); total 45 of 60
    assert "D1责任清单完成率" in text and "30.00" in text
    assert "述职报告内容全面，酌情扣分" in text
    assert "45.00/60" in text
    for opinion in (SELF_REPORT, REVIEW_NOTE, APPROVAL_NOTE):
        assert flat(opinion) in text
    assert "四、扣分依据" in text and "第4项责任" in text  # the one item not done
    assert "专委会会商研判" not in text  # an indicator for committees only
    assert "第1页，共1页" in text


def test_a_stored_score_is_reported_as_stored_never_recomputed(published, county, county_officer):
    score = IndicatorScore.objects.get(result__unit=county.town, indicator__code="D1")
    IndicatorScore.objects.filter(pk=score.pk).update(computed_points="12.34")
    report = _request(county_officer, APPRAISAL_UNIT, county.town, published.year)
    build_report(report.pk)
    report.refresh_from_db()
    assert "12.34" in flat(pdf_text(stored_pdf(report)))


# measured: the first page holds the result, the chart, the scores and the opinions; the
# evidence starts on page 2 (10 to 35 rows fit there), 40 to 55 rows reach page 3
@pytest.mark.parametrize(("rows", "pages"), [(0, 1), (20, 2), (50, 3)])
def test_unit_report_pages_for_a_known_number_of_evidence_rows(
    published, county, county_officer, rows, pages
):
    score = IndicatorScore.objects.get(result__unit=county.town, indicator__code="D1")
    _evidence(score, rows)
    report = _request(county_officer, APPRAISAL_UNIT, county.town, published.year)
    build_report(report.pk)
    report.refresh_from_db()
    content = stored_pdf(report)
    assert report.pages == pages
    if rows:
        # the evidence table's header repeats on the page it breaks onto
        last = flat(pdf_text(content, first=pages, last=pages))
        assert "序号记录扣分原因" in last
        assert f"第{rows}项责任清单事项" in last


def test_county_summary_ranks_units_within_type(published, county, county_officer):
    year = published.year
    report = _request(county_officer, APPRAISAL_COUNTY, None, year)
    assert report.file_name == f"{year}年度全县安全生产考核汇总报告.pdf"
    assert build_report(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    text = pdf_text(stored_pdf(report))
    compact = flat(text)
    assert f"{year}年度全县安全生产考核汇总报告" in compact
    assert "镇街" in compact and "部门" in compact and "专委会" in compact
    # 澧阳街道 has no duty list (D1 full 40) + M1 15 = 55, ahead of 小渡口镇 (30 + 15)
    assert compact.index("澧阳街道") < compact.index("小渡口镇")
    assert "本年度无一票否决单位。" in compact
    assert "各指标平均得分" in compact
    assert report.pages == 1


def test_reports_of_a_year_without_results_are_refused(county, county_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未启动"):
        _request(county_officer, APPRAISAL_COUNTY, None, 2001)
    with pytest.raises(ValidationError, match="没有“小渡口镇”的考核结果"):
        _request(county_officer, APPRAISAL_UNIT, county.town, 2001)
    assert not Report.objects.exists()


def test_reports_wait_for_results_still_computing(county, county_officer):
    from django.core.exceptions import ValidationError

    setup = build_scheme(county, county_officer)
    open_and_compute(setup, county_officer, compute=False)
    with pytest.raises(ValidationError, match="计算中"):
        _request(county_officer, APPRAISAL_COUNTY, None, setup.year)
    assert not Report.objects.exists()


# --- who may request and read them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("leader", True),
        ("county_officer", True),
        ("town_official", False),
        ("department_official", False),
    ],
)
def test_county_report_from_the_round_page(
    published, request, client_for, persona, allowed, django_capture_on_commit_callbacks
):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("responsibilities:appraisal_round", args=[published.year]))
    url = reverse("responsibilities:appraisal_round_report", args=[published.year])
    assert ('data-testid="county-report"' in page.content.decode()) == allowed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    if allowed:
        report = Report.objects.get(kind=APPRAISAL_COUNTY)
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:detail", args=[report.pk])
        report.refresh_from_db()
        assert report.status == ReportStatus.READY  # the eager task ran on commit
        download = client.get(reverse("reports:download", args=[report.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 403
        assert not Report.objects.exists()
    assert client.get(url).status_code == 405


def test_unit_report_from_the_result_page(
    published, county, client_for, leader, town_official, django_capture_on_commit_callbacks
):
    result = result_of(published, county.town)
    url = reverse("responsibilities:appraisal_result_report", args=[result.pk])
    page = reverse("responsibilities:appraisal_result", args=[result.pk])
    assert 'data-testid="unit-report"' not in client_for(town_official).get(page).content.decode()
    assert client_for(town_official).post(url).status_code == 403
    assert 'data-testid="unit-report"' in client_for(leader).get(page).content.decode()
    assert client_for(leader).get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(url)
    report = Report.objects.get(kind=APPRAISAL_UNIT, unit=county.town)
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert AuditEvent.objects.filter(verb="report.requested", target_id=report.pk).exists()


def test_a_result_still_computing_gets_no_report_button_and_a_refusal(
    county, county_officer, client_for
):
    setup = build_scheme(county, county_officer)
    open_and_compute(setup, county_officer, compute=False)
    result = result_of(setup, county.town)
    client = client_for(county_officer)
    page = client.get(reverse("responsibilities:appraisal_result", args=[result.pk]))
    assert 'data-testid="unit-report"' not in page.content.decode()
    response = client.post(
        reverse("responsibilities:appraisal_result_report", args=[result.pk]), follow=True
    )
    assert "得分还在计算中" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("persona", "before", "after"),
    [
        ("leader", True, True),
        ("county_officer", True, True),
        ("town_official", False, True),  # its own unit, once published
        ("other_town_official", False, False),
        ("department_official", False, False),
        ("enterprise_manager", False, False),
    ],
)
def test_unit_report_is_read_by_its_unit_only_once_published(
    approved, county, county_officer, request, client_for, persona, before, after
):
    report = _request(county_officer, APPRAISAL_UNIT, county.town, approved.year)
    build_report(report.pk)
    client = client_for(request.getfixturevalue(persona))
    url = reverse("reports:download", args=[report.pk])
    assert (status_of(client, url) == 200) == before
    appraisal_services.publish_round(actor=county_officer, round_=approved.round)
    assert status_of(client, url) == (200 if after else 404)
    assert client.post(url).status_code == 405


def test_a_committees_lead_unit_reads_the_reports_of_the_results_it_reviews(
    approved, county, county_officer, department_official, client_for
):
    # 住建局 is appraised by the 危化品专委会, which 应急管理局 leads
    result = result_of(approved, county.other_department)
    assert result.appraiser == approved.committee
    report = _request(county_officer, APPRAISAL_UNIT, county.other_department, approved.year)
    own = _request(county_officer, APPRAISAL_UNIT, county.department, approved.year)
    client = client_for(department_official)
    assert status_of(client, reverse("reports:detail", args=[report.pk])) == 200
    # its own (appraised by the 安委会) only once published
    assert client.get(reverse("reports:detail", args=[own.pk])).status_code == 404


def test_the_county_summary_is_for_leaders_and_the_county_office(
    published, county_officer, leader, town_official, department_official, client_for
):
    report = _request(county_officer, APPRAISAL_COUNTY, None, published.year)
    build_report(report.pk)
    url = reverse("reports:download", args=[report.pk])
    assert status_of(client_for(leader), url) == 200
    assert status_of(client_for(town_official), url) == 404
    assert status_of(client_for(department_official), url) == 404
    listing = client_for(town_official).get(reverse("reports:list")).content.decode()
    assert report.title not in listing


def test_units_may_not_request_the_appraisal_reports(published, county, town_official):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _request(town_official, APPRAISAL_UNIT, county.town, published.year)
    with pytest.raises(PermissionDenied):
        _request(town_official, APPRAISAL_COUNTY, None, published.year)


def generate_appraisal_reports(*, today):
    return run_job(today=today, enqueue=queue_build)


# --- the year-end job ----------------------------------------------------------------------------------


def test_year_end_job_generates_published_reports_once(
    published, county, django_capture_on_commit_callbacks
):
    today = datetime.date(published.year + 1, 2, 1)
    units = AppraisalResult.objects.filter(round=published.round).count()
    with django_capture_on_commit_callbacks(execute=True):
        assert generate_appraisal_reports(today=today) == units + 1
    reports = Report.objects.all()
    assert reports.filter(kind=APPRAISAL_UNIT).count() == units
    assert reports.filter(kind=APPRAISAL_COUNTY).count() == 1
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.READY}
    files = set(reports.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert generate_appraisal_reports(today=today) == 0
    assert set(Report.objects.values_list("file", flat=True)) == files
    assert AuditEvent.objects.filter(verb="report.generated").count() == units + 1


def test_year_end_job_leaves_unpublished_results_alone(approved, county):
    today = datetime.date(approved.year + 1, 2, 1)
    assert generate_appraisal_reports(today=today) == 0
    assert generate_appraisal_reports(today=datetime.date(approved.year + 5, 2, 1)) == 0
    assert not Report.objects.exists()
    assert AppraisalResult.objects.filter(status=ResultStatus.APPROVED).exists()


def test_year_end_job_retries_a_failed_report(published, county):
    today = datetime.date(published.year + 1, 2, 1)
    generate_appraisal_reports(today=today)  # queued on commit, never sent here
    Report.objects.filter(kind=APPRAISAL_COUNTY).update(status=ReportStatus.FAILED)
    assert generate_appraisal_reports(today=today) == 1
    assert Report.objects.get(kind=APPRAISAL_COUNTY).status == ReportStatus.PENDING
