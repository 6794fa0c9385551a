"""Stored reports: request, build with progress, the door for the file (who may download),
regeneration replacing the file with an audit event, the list's scope and query count, and
an unreachable task queue."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from safetyportal.audit.models import AuditEvent
from safetyportal.dashboard.models import Report, ReportStatus
from safetyportal.dashboard.report_kinds import HAZARD_SUMMARY
from safetyportal.dashboard.reports import jobs, services
from safetyportal.dashboard.tasks import build_report
from tests.pdf import pdf_text


def stored_pdf(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def _request(client, unit, year):
    return client.post(
        reverse("reports:request"),
        {"kind": HAZARD_SUMMARY, "unit": unit.pk if unit else "", "year": year},
    )


@pytest.fixture
def town_report(majors, period, town_official, client_for):
    response = _request(client_for(town_official), majors.new.town, period.start.year)
    assert response.status_code == 302
    return Report.objects.get(kind=HAZARD_SUMMARY)


def test_a_town_requests_its_report_which_is_queued_then_built_with_a_telling_name(
    town_report, period, county
):
    year = period.start.year
    assert town_report.status == ReportStatus.PENDING
    assert town_report.file_name == f"{year}年度小渡口镇隐患排查治理报告.pdf"
    assert AuditEvent.objects.filter(verb="report.requested", target_id=town_report.pk).exists()
    assert build_report(town_report.pk) == ReportStatus.READY
    town_report.refresh_from_db()
    assert (town_report.progress, town_report.pages) == (100, 1)
    text = pdf_text(stored_pdf(town_report))
    assert f"{year}年度小渡口镇隐患排查治理报告" in text
    assert "深基坑支护未按方案施工" in "".join(text.split())
    assert "澧阳" not in text  # another town's hazards are not in a town's report
    assert "第 1 页，共 1 页" in text
    # a second run of the task (redelivered) renders nothing again
    assert build_report(town_report.pk) == ReportStatus.READY
    assert AuditEvent.objects.filter(verb="report.generated").count() == 1


def test_a_town_may_not_request_another_towns_report(majors, county, town_official, client_for):
    response = _request(client_for(town_official), county.other_town, 2026)
    assert response.status_code == 200  # the form again: the other town is not a choice
    assert not Report.objects.exists()


def test_request_form_refused_to_enterprises_and_experts(enterprise_manager, client_for):
    assert client_for(enterprise_manager).get(reverse("reports:request")).status_code == 403
    assert client_for(enterprise_manager).get(reverse("reports:list")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("town_official", True),
        ("leader", True),
        ("county_officer", True),
        ("other_town_official", False),
        ("department_official", False),
        ("enterprise_manager", False),
    ],
)
def test_download_only_for_who_may_see_the_units_data(
    town_report, request, client_for, persona, allowed
):
    build_report(town_report.pk)
    client = client_for(request.getfixturevalue(persona))
    url = reverse("reports:download", args=[town_report.pk])
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert "%E9%9A%90%E6%82%A3" in response["Content-Disposition"]  # 隐患, RFC 5987
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 404
        assert client.get(reverse("reports:detail", args=[town_report.pk])).status_code == 404


def test_download_refuses_post_and_an_unfinished_report(town_report, town_official, client_for):
    client = client_for(town_official)
    url = reverse("reports:download", args=[town_report.pk])
    assert client.get(url).status_code == 404  # not generated yet
    build_report(town_report.pk)
    assert client.post(url).status_code == 405


def test_regenerate_replaces_the_file_and_is_audited(town_report, town_official, client_for):
    build_report(town_report.pk)
    town_report.refresh_from_db()
    old_name = town_report.file.name
    storage = town_report.file.storage
    client = client_for(town_official)
    url = reverse("reports:regenerate", args=[town_report.pk])
    assert client.post(url).status_code == 302
    town_report.refresh_from_db()
    assert town_report.status == ReportStatus.PENDING
    event = AuditEvent.objects.get(verb="report.regenerated", target_id=town_report.pk)
    assert event.payload["replaces"] == old_name
    assert build_report(town_report.pk) == ReportStatus.READY
    town_report.refresh_from_db()
    assert town_report.file.name != old_name
    assert storage.exists(town_report.file.name) and not storage.exists(old_name)
    assert Report.objects.count() == 1
    assert AuditEvent.objects.filter(verb="report.generated").count() == 2


def test_requesting_the_same_report_again_regenerates_it(town_report, town_official, period):
    build_report(town_report.pk)
    again = services.request_report(
        actor=town_official,
        kind=HAZARD_SUMMARY,
        unit=town_report.unit,
        period_start=town_report.period_start,
        period_end=town_report.period_end,
        period_label=town_report.period_label,
    )
    assert again.pk == town_report.pk and again.status == ReportStatus.PENDING


def test_regenerate_refused_to_others_and_to_get(
    town_report,
    other_town_official,
    department_official,
    enterprise_manager,
    town_official,
    client_for,
):
    build_report(town_report.pk)
    url = reverse("reports:regenerate", args=[town_report.pk])
    for user in (other_town_official, department_official, enterprise_manager):
        assert client_for(user).post(url).status_code == 404
    assert client_for(town_official).get(url).status_code == 405
    town_report.refresh_from_db()
    assert town_report.status == ReportStatus.READY
    assert not AuditEvent.objects.filter(verb="report.regenerated").exists()


def test_a_report_of_a_kind_no_longer_offered_is_neither_regenerated_nor_issued(
    town_report, town_official, county_officer, client_for
):
    """Found by the role matrix's write sweep: a stored report whose kind is not registered
    (any more) raised a ValidationError from the regenerate view (HTTP 500), and the issue
    view answered the leader with a redirect instead of a refusal."""
    build_report(town_report.pk)
    Report.objects.filter(pk=town_report.pk).update(kind="no_longer_offered")
    before = AuditEvent.objects.count()
    for name in ("reports:regenerate", "reports:issue"):
        url = reverse(name, args=[town_report.pk])
        for user in (town_official, county_officer):
            assert client_for(user).post(url).status_code == 403
    town_report.refresh_from_db()
    assert town_report.status == ReportStatus.READY
    assert AuditEvent.objects.count() == before


def test_progress_is_polled_while_running_and_the_link_shown_when_ready(
    town_report, town_official, client_for
):
    client = client_for(town_official)
    url = reverse("reports:status", args=[town_report.pk])
    Report.objects.filter(pk=town_report.pk).update(
        status=ReportStatus.RUNNING, progress=45, progress_message="按镇街或行业统计"
    )
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in running and 'value="45"' in running
    assert "按镇街或行业统计" in running and "download-link" not in running
    Report.objects.filter(pk=town_report.pk).update(status=ReportStatus.PENDING)
    build_report(town_report.pk)
    ready = client.get(url).content.decode()
    assert "every 2s" not in ready and 'data-testid="download-link"' in ready


def test_an_unreachable_queue_fails_the_report_visibly(
    majors, period, town_official, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(build_report, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client_for(town_official), majors.new.town, period.start.year)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "任务队列暂不可用" in report.error


def test_list_shows_each_role_its_scope(
    majors,
    period,
    county,
    county_officer,
    leader,
    town_official,
    other_town_official,
    department_official,
    client_for,
):
    year = period.start.year
    mine = services.request_report(
        actor=county_officer,
        kind=HAZARD_SUMMARY,
        unit=county.town,
        period_start=period.start.replace(month=1, day=1),
        period_end=period.start.replace(month=12, day=31),
        period_label=f"{year}年度",
    )
    services.request_report(
        actor=county_officer,
        kind=HAZARD_SUMMARY,
        unit=county.other_town,
        period_start=mine.period_start,
        period_end=mine.period_end,
        period_label=f"{year}年度",
    )
    draft = jobs.draft_bulletin()
    url = reverse("reports:list")

    def titles(user, query=""):
        page = client_for(user).get(url + query).content.decode()
        return {r.title for r in Report.objects.all() if r.title in page}

    everything = {r.title for r in Report.objects.all()}
    assert titles(leader) == everything == titles(county_officer)
    assert titles(town_official) == {mine.title}  # the bulletin draft is not theirs yet
    assert titles(department_official) == set()
    services.issue_report(actor=county_officer, report_id=draft.pk)
    assert titles(town_official) == {mine.title, draft.title}
    assert titles(other_town_official) == {draft.title} | (everything - {mine.title, draft.title})
    assert titles(county_officer, f"?unit={county.town.pk}") == {mine.title}
    assert titles(county_officer, "?kind=major_hazard_bulletin") == {draft.title}


def test_list_costs_the_same_queries_for_few_or_many_reports(
    county, county_officer, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(county_officer)
    url = reverse("reports:list")

    def add(year):
        services.request_report(
            actor=county_officer,
            kind=HAZARD_SUMMARY,
            unit=county.town,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            period_label=f"{year}年度",
        )

    add(2020)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for year in range(2000, 2015):
        add(year)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
