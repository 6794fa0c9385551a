"""The dashboards' figures equal the hand-counted values of tests/dashboard/conftest.py,
and each figure opens the list that holds exactly its rows."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.test import Client

from safetyportal.dashboard.figures import COUNTY, TOWN, Scope, dashboard, year_period

FIGURE = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-figure="(\d+)"')
# figures that are not a count of the list's rows: deaths (a sum), enterprises inspected
DISTINCT = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-distinct="(\d+)"[^>]*data-key="(\w+)"')


def figures(data) -> dict[str, int]:
    return {f.key: f.value for s in data["sections"] for f in s.figures}


def county_data(user, small_county):
    return dashboard(
        Scope(user=user, kind=COUNTY), year_period(small_county.year, small_county.today)
    )


def test_the_county_figures_equal_the_hand_counted_ones(small_county, county_officer):
    data = county_data(county_officer, small_county)
    got = figures(data)
    expected = {
        "found": 6,
        "closed": 3,
        "general_closed": 2,
        "overdue": 2,
        "major_found": 2,
        "major_closed": 1,
        "major_open": 1,
        "major_overdue": 1,
        "inspections": 3,
        "enterprises_inspected": 2,
        "planned": 4,
        "plan_done": 3,
        "cases": 4,
        "cases_simple": 2,
        "cases_general": 2,
        "accidents": 2,
        "deaths": 3,
        "accidents_last": 4,
        "deaths_last": 4,
        "compliance_insurance": 2,
        "compliance_documents": 1,
        "compliance_staffing": 0,
        "risk_red": 1,
        "risk_orange": 1,
        "risk_yellow": 0,
        "risk_blue": 1,
    }
    assert {k: got[k] for k in expected} == expected
    by_key = data["by_key"]
    assert by_key["hazards"].rates[0][1] == "50.0%"  # 3 of 6
    assert by_key["major_hazards"].rates[0][1] == "50.0%"  # 1 of 2
    assert by_key["inspections"].rates[0][1] == "75.0%"  # 3 of 4 targets
    assert [t for _l, t in by_key["accidents"].rates] == ["下降 50.0 %", "下降 25.0 %"]
    # reports received in Y: 4 (the Y-1 one is out); counted 3 (the rejected one is not);
    # on time 1, overdue 1 (verification deadline passed), substantiated 1
    assert (
        got["reports"],
        got["reports_on_time"],
        got["reports_overdue"],
        got["reports_substantiated"],
    ) == (4, 1, 1, 1)
    assert by_key["reports"].rates[0][1] == "33.3%"


def test_the_trends_count_by_month_against_the_year_before(small_county, county_officer):
    trends = county_data(county_officer, small_county)["trends"]
    last, this, closed = (s["data"] for s in trends["hazards"]["series"])
    # February to June one each, December one (the voided April hazard is not counted)
    assert this == [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert sum(last) == 1 and last[5] == 1
    assert sum(closed) == 3
    accidents = trends["accidents"]["series"]
    assert sum(accidents[0]["data"]) == 4 and sum(accidents[1]["data"]) == 2
    assert sum(accidents[3]["data"]) == 3  # this year's deaths


def test_towns_and_departments_are_ranked_by_closing_then_overdue_rate(
    small_county, county_officer, county
):
    rankings = county_data(county_officer, small_county)["rankings"]
    towns = [(r.name, r.found, r.closed, r.overdue, r.planned, r.done) for r in rankings["towns"]]
    # both close 50 %; 澧阳街道 has none overdue, 小渡口镇 half of its hazards
    assert towns == [("澧阳街道", 2, 1, 0, 0, 0), ("小渡口镇", 4, 2, 2, 4, 3)]
    first, second = rankings["towns"]
    assert (first.closing_rate, first.overdue_rate) == (Decimal("50.0"), Decimal("0.0"))
    assert (second.overdue_rate, second.plan_rate) == (Decimal("50.0"), Decimal("75.0"))
    departments = [(r.name, r.found, r.closed, r.overdue) for r in rankings["departments"]]
    assert departments == [("住建局", 2, 1, 0), ("应急管理局", 4, 2, 2)]


def test_a_county_user_narrowed_to_a_town_sees_that_towns_figures(
    small_county, county_officer, county
):
    scope = Scope(user=county_officer, kind=TOWN, unit=county.town, town_filter=county.town)
    data = dashboard(scope, year_period(small_county.year, small_county.today))
    got = figures(data)
    assert (got["found"], got["closed"], got["accidents"], got["accidents_last"]) == (4, 2, 2, 1)
    assert (got["cases"], got["compliance_insurance"], got["risk_red"]) == (3, 1, 1)
    assert data["rankings"] is None


def list_count(client: Client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    # exact on a small data set (a ledger estimates only above 10,000 rows, ADR 0015)
    return response.context["page"].paginator.count


@pytest.mark.parametrize("narrow", [False, True])
def test_every_figure_opens_the_list_of_exactly_its_rows(
    small_county, county_officer, county, narrow
):
    client = Client()
    client.force_login(county_officer)
    query = {"year": small_county.year}
    if narrow:
        query["town"] = county.town.pk
    page = client.get("/dashboard/", query)
    assert page.status_code == 200
    links = [(unescape(h), int(n)) for h, n in FIGURE.findall(page.content.decode())]
    assert len(links) >= 25
    checked = 0
    for href, shown in links:
        if href.startswith("/enforcement/plans/"):
            continue  # the plan page: its totals are checked below
        assert list_count(client, href) == shown, href
        checked += 1
    assert checked >= 25
    for href, shown, key in DISTINCT.findall(page.content.decode()):
        response = client.get(unescape(href))
        rows = response.context["filter"].qs
        if key.startswith("deaths"):
            assert sum(rows.values_list("deaths", flat=True)) == int(shown), key
        else:
            assert rows.values("enterprise_id").distinct().count() == int(shown), key
    plan_page = client.get(f"/enforcement/plans/?year={small_county.year}")
    assert plan_page.context["totals"]["planned"] == 4
    assert plan_page.context["totals"]["done"] == 3


def test_the_export_holds_the_rankings_of_the_period(small_county, county_officer):
    client = Client()
    client.force_login(county_officer)
    response = client.get("/dashboard/export/", {"year": small_county.year})
    assert response.status_code == 200
    assert f"{small_county.year}0101-{small_county.year}1231" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["类别", "名次", "单位", "排查隐患", "已销号", "销号率(%)"]
    assert rows[1][:8] == ["镇街", 1, "澧阳街道", 2, 1, 50.0, 0, 0.0]
    assert rows[2][:8] == ["镇街", 2, "小渡口镇", 4, 2, 50.0, 2, 50.0]
    assert [r[2] for r in rows[3:]] == ["住建局", "应急管理局"]
    # another period, other figures: the previous year has one hazard, in 澧阳街道
    response = client.get("/dashboard/export/", {"year": small_county.year - 1})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][2:5] == ["澧阳街道", 1, 1]


def test_a_town_exports_its_figures(small_county, town_official):
    client = Client()
    client.force_login(town_official)
    response = client.get("/dashboard/export/", {"year": small_county.year})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {(r[0], r[1]): r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("隐患排查治理", "排查隐患")] == 4
    assert rows[("生产安全事故（同比）", "去年同期事故")] == 1


def test_the_briefing_shows_the_periods_headline_figures(small_county, leader):
    client = Client()
    client.force_login(leader)
    response = client.get("/dashboard/briefing/", {"year": small_county.year})
    assert response.status_code == 200
    text = response.content.decode()
    assert "全县安全生产工作简报" in text
    assert "1 项（50.0%），逾期 1 项" in text
    assert "2 起 3 人" in text and "下降 50.0 %" in text
    assert 'data-testid="briefing-ranking"' in text


def test_a_date_range_counts_only_its_days(small_county, county_officer):
    client = Client()
    client.force_login(county_officer)
    Y = small_county.year
    response = client.get("/dashboard/", {"start": f"{Y}-03-01", "end": f"{Y}-04-30"})
    data = response.context["data"]
    assert figures(data)["found"] == 2  # 1 March and 1 April (the voided one not counted)
    assert figures(data)["accidents"] == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-05-01"}, "请同时填写起始日期和截止日期"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "起始日期不能晚于截止日期"),
        ({"start": "1990-01-01", "end": "1990-02-01"}, "日期须在"),
        ({"year": "1890"}, "年度"),
    ],
)
def test_a_bad_period_says_what_is_wrong_and_shows_this_year(county_officer, query, message):
    client = Client()
    client.force_login(county_officer)
    response = client.get("/dashboard/", query)
    assert response.status_code == 200
    assert message in response.content.decode()
    period = response.context["period"]
    assert period.start.month == 1 and period.start.day == 1 and period.year is not None
