"""The report list's Excel export: the user's scope (no drafts for a town), the filters,
the kind's label, GET only."""

from __future__ import annotations

from django.urls import reverse

from safetyportal.dashboard.report_kinds import HAZARD_SUMMARY
from safetyportal.dashboard.reports import jobs, services
from tests.exports_helpers import column, xlsx_rows


def test_report_export_keeps_scope_and_filters(
    majors, period, county, county_officer, town_official, enterprise_manager, client_for
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
    theirs = services.request_report(
        actor=county_officer,
        kind=HAZARD_SUMMARY,
        unit=county.other_town,
        period_start=mine.period_start,
        period_end=mine.period_end,
        period_label=f"{year}年度",
    )
    draft = jobs.draft_bulletin()
    url = reverse("reports:export")
    town = xlsx_rows(client_for(town_official).get(url))
    assert column(town, "标题") == [mine.title]  # not 澧阳街道's, not the draft
    office = xlsx_rows(client_for(county_officer).get(url))
    assert sorted(column(office, "标题")) == sorted([mine.title, theirs.title, draft.title])
    bulletins = xlsx_rows(client_for(county_officer).get(url, {"kind": "major_hazard_bulletin"}))
    assert column(bulletins, "标题") == [draft.title]
    assert column(bulletins, "报告类型") == ["重大事故隐患通报"]
    assert column(bulletins, "状态") == ["草稿待签发"]
    one_town = xlsx_rows(client_for(county_officer).get(url, {"unit": county.other_town.pk}))
    assert column(one_town, "标题") == [theirs.title]
    assert client_for(enterprise_manager).get(url).status_code == 403
    assert client_for(county_officer).post(url).status_code == 405
