"""The county appraisal report in the browser: a leader logs in, opens the published round,
starts the county summary, watches its progress (the report page polls while a worker
builds it) and downloads the PDF with its telling name. The queue is held back so the page
is seen running; the test then builds the report as a worker would."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from responsibilities import appraisal_services
from responsibilities.appraisal_models import AppraisalResult, IndicatorScore
from responsibilities.report_kinds import APPRAISAL_COUNTY
from safetyportal.dashboard.models import Report, ReportStatus
from safetyportal.dashboard.reports.jobs import build_report
from safetyportal.dashboard.tasks import build_report as build_report_task
from tests.browser.helpers import log_in, navigate
from tests.factories import PASSWORD
from tests.responsibilities.appraisal_setup import build_scheme, open_and_compute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_round(county, county_officer, leader):
    """A round like the demo's: computed, scored, approved and published."""
    setup = build_scheme(county, county_officer)
    open_and_compute(setup, county_officer)
    for result in AppraisalResult.objects.filter(round=setup.round):
        for score in IndicatorScore.objects.filter(result=result, indicator__code="M1"):
            appraisal_services.adjust_score(
                actor=county_officer, score=score, points=16, reason="述职报告内容全面"
            )
        appraisal_services.submit_review(actor=county_officer, result_id=result.pk)
        appraisal_services.approve(actor=leader, result_id=result.pk, note="同意。")
    appraisal_services.publish_round(actor=county_officer, round_=setup.round)
    return setup


def test_a_leader_generates_and_downloads_the_county_appraisal_report(
    live_server, page, published_round, leader, monkeypatch, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # hold the task back: the report stays queued until "the worker" below builds it
    monkeypatch.setattr(build_report_task, "apply_async", lambda *args, **kwargs: None)
    year = published_round.year

    log_in(page, live_server.url, leader.username, PASSWORD)
    navigate(page, "数据看板", "数据看板")
    expect(page.get_by_test_id("page-heading")).to_have_text("全县安全生产数据看板")
    navigate(page, "责任体系", "年度考核")
    page.get_by_role("link", name=f"{year} 年度", exact=True).click()
    expect(page.get_by_test_id("round-status")).to_have_text("已公布")
    page.get_by_test_id("county-report").click()

    # the report's page: queued, polling for progress
    expect(page.get_by_text("考核报告已开始生成，本页会显示进度。")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_be_visible()
    expect(page.get_by_test_id("download-link")).to_have_count(0)
    report = Report.objects.get(kind=APPRAISAL_COUNTY)
    assert report.status == ReportStatus.PENDING
    assert build_report(report.pk) == ReportStatus.READY  # the worker

    # the poll picks up the finished report and shows the download
    link = page.get_by_test_id("download-link")
    expect(link).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("progress")).to_have_count(0)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"{year}年度全县安全生产考核汇总报告.pdf"
    saved = tmp_path / "download.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
