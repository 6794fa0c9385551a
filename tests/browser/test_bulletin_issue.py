"""The county office previews the half-monthly bulletin's draft, issues it, watches the
PDF being generated (the page polls its progress) and downloads it."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from hazards.models import HazardStatus
from safetyportal.dashboard.models import Report
from safetyportal.dashboard.reports import jobs, services
from tests.browser.helpers import log_in, navigate
from tests.factories import PASSWORD
from tests.pdf import pdf_text
from tests.reports.conftest import make_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_office_previews_issues_watches_and_downloads_the_bulletin(
    live_server, page, county, county_officer, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = jobs.draft_bulletin()
    day = datetime.timedelta(days=1)
    make_hazard(
        county.xdk_chem,
        number="LX-001",
        status=HazardStatus.RECTIFYING,
        found_on=draft.period_start - 60 * day,
        deadline=draft.period_end - 20 * day,
        description="液氨储罐安全阀超期未检",
    )
    # the worker is this test: the issue queues nothing, the build runs below while the
    # page polls
    monkeypatch.setattr(services, "_enqueue", lambda report: None)

    log_in(page, live_server.url, "county_officer", PASSWORD)
    navigate(page, "隐患治理", "报告与通报")
    page.get_by_role("link", name=draft.title).click()
    page.get_by_test_id("preview-link").click()
    body = page.get_by_test_id("bulletin-body")
    expect(body.get_by_test_id("doc-number")).to_have_text("（签发时编号）")
    expect(page.get_by_test_id("section-overdue")).to_contain_text("1 项")
    expect(body).to_contain_text("液氨储罐安全阀超期未检")

    page.get_by_test_id("issue").click()
    year = datetime.date.today().year
    number = f"澧安办通〔{year}〕1号"
    expect(page.get_by_test_id("report-number")).to_have_text(number)
    expect(page.get_by_test_id("progress")).to_be_visible()  # queued: the page polls
    expect(page.get_by_test_id("download-link")).to_have_count(0)

    jobs.build_report(draft.pk)  # the worker's run
    link = page.get_by_test_id("download-link")
    expect(link).to_be_visible(timeout=10_000)  # the next poll brings the result
    expect(page.get_by_test_id("progress")).to_have_count(0)
    with page.expect_download() as download:
        link.click()
    report = Report.objects.get(pk=draft.pk)
    assert download.value.suggested_filename == report.file_name
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = "".join(pdf_text(content).split())
    assert number in text and "液氨储罐安全阀超期未检" in text
