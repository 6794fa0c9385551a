"""Accident pages and API: who may report, see and move an accident; 补报 recomputes the
grade; the investigation's deadlines; year-on-year figures; constant query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from enforcement.accidents import services
from enforcement.accidents.models import Accident, AccidentSupplement, InvestigationStatus
from enforcement.accidents.statistics import year_on_year
from safetyportal.audit.models import AuditEvent
from tests.enforcement.factories import AccidentFactory

NOW = timezone.now


def _when(days_ago: float) -> str:
    return timezone.localtime(NOW() - datetime.timedelta(days=days_ago)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def _report_data(county, **extra):
    occurred = timezone.localtime(NOW() - datetime.timedelta(days=1))
    data = {
        "occurred_at": occurred.strftime("%Y-%m-%d %H:%M:%S"),
        "reported_at": (occurred + datetime.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S"),
        "town": county.town.pk,
        "place": "化工园区 2 号罐区",
        "enterprise": county.xdk_chem.pk,
        "party_name": "",
        "industry": "",
        "kind": "production",
        "course": "检修作业中毒",
        "deaths": 1,
        "serious_injuries": 2,
        "missing": 0,
        "direct_loss": "800000",
        "measures": "救援",
        "reported_by": "厂长",
    }
    data.update(extra)
    return data


@pytest.fixture
def accidents(county, town_official, other_town_official, department_official):
    """One accident per town, reported by that town; one in 澧阳 in the 应急局's industry
    reported by the 应急局."""
    xdk = AccidentFactory(
        unit=county.town,
        town=county.town,
        enterprise=county.xdk_build,
        party_name="小渡口建筑",
        recorded_by=town_official,
    )
    ly = AccidentFactory(
        unit=county.other_town,
        town=county.other_town,
        party_name="澧阳个体户",
        recorded_by=other_town_official,
    )
    dept = AccidentFactory(
        unit=county.department,
        town=county.other_town,
        industry=county.industry_a,
        party_name="澧阳化工",
        recorded_by=department_official,
    )
    return {"xdk": xdk, "ly": ly, "dept": dept}


# --- reporting ---------------------------------------------------------------------------


def test_town_reports_an_accident_graded_and_in_time(county, town_official, client_for):
    response = client_for(town_official).post("/enforcement/accidents/new/", _report_data(county))
    assert response.status_code == 302
    accident = Accident.objects.get()
    assert accident.grade == "general" and not accident.is_late
    assert accident.unit == county.town and accident.party_name == county.xdk_chem.name
    assert AuditEvent.objects.filter(verb="accident.reported").count() == 1


def test_report_61_minutes_after_is_flagged_late(county, county_officer, client_for):
    occurred = timezone.localtime(NOW() - datetime.timedelta(days=1))
    data = _report_data(
        county,
        occurred_at=occurred.strftime("%Y-%m-%d %H:%M:%S"),
        reported_at=(occurred + datetime.timedelta(minutes=60, seconds=1)).strftime(
            "%Y-%m-%d %H:%M:%S"
        ),
    )
    assert client_for(county_officer).post("/enforcement/accidents/new/", data).status_code == 302
    assert Accident.objects.get().is_late


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reported_at": _when(3)}, "报告时间不能早于事故发生时间"),
        ({"deaths": -1}, "人数不能为负数"),
        ({"direct_loss": "-5"}, "直接经济损失不能为负数"),
        ({"occurred_at": _when(-1), "reported_at": _when(-1)}, "发生时间不能晚于现在"),
        ({"enterprise": "", "party_name": ""}, "请选择事故企业"),
    ],
)
def test_bad_report_refused_in_chinese_nothing_saved(
    county, town_official, client_for, change, message
):
    response = client_for(town_official).post(
        "/enforcement/accidents/new/", _report_data(county, **change)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Accident.objects.exists()


def test_town_cannot_report_in_another_town(county, town_official, client_for):
    data = _report_data(county, town=county.other_town.pk, enterprise=county.ly_chem.pk)
    response = client_for(town_official).post("/enforcement/accidents/new/", data)
    assert response.status_code == 400
    assert not Accident.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "enterprise_manager", "expert"])
def test_report_forbidden(county, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/enforcement/accidents/new/").status_code == 403
    assert client.post("/enforcement/accidents/new/", _report_data(county)).status_code == 403
    assert not Accident.objects.exists()


def test_report_wrong_method(county_officer, client_for):
    assert client_for(county_officer).put("/enforcement/accidents/new/").status_code == 405


# --- visibility --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("county_officer", {"xdk", "ly", "dept"}),
        ("leader", {"xdk", "ly", "dept"}),
        ("town_official", {"xdk"}),
        ("other_town_official", {"ly", "dept"}),
        ("department_official", {"dept"}),
        ("enterprise_manager", {"xdk"}),
        ("expert", set()),
    ],
)
def test_each_role_sees_its_accidents(
    accidents, persona, sees, request, client_for, api_client_for
):
    user = request.getfixturevalue(persona)
    expected = {accidents[k].pk for k in sees}
    assert set(Accident.objects.visible_to(user).values_list("pk", flat=True)) == expected
    page = client_for(user).get("/enforcement/accidents/")
    assert page.status_code == 200
    for key, accident in accidents.items():
        detail = client_for(user).get(f"/enforcement/accidents/{accident.pk}/")
        assert detail.status_code == (200 if key in sees else 404)
    api = api_client_for(user).get("/api/v1/accidents/")
    assert {row["id"] for row in api.json()["results"]} == expected


def test_list_filters(accidents, county, county_officer, client_for):
    Accident.objects.filter(pk=accidents["ly"].pk).update(is_late=True)
    page = client_for(county_officer).get("/enforcement/accidents/?late=true")
    assert page.context["page"].paginator.count == 1
    page = client_for(county_officer).get(f"/enforcement/accidents/?town={county.other_town.pk}")
    assert page.context["page"].paginator.count == 2
    page = client_for(county_officer).get(f"/enforcement/accidents/?year={NOW().year - 1}")
    assert page.context["page"].paginator.count == 0
    page = client_for(county_officer).get("/enforcement/accidents/?grade=larger")
    assert page.context["page"].paginator.count == 0


# --- 补报 and the investigation ------------------------------------------------------------


def test_supplement_recomputes_the_grade_with_an_audit_trail(accidents, town_official, client_for):
    accident = accidents["xdk"]
    response = client_for(town_official).post(
        f"/enforcement/accidents/{accident.pk}/supplement/",
        {
            "supplement-deaths": 3,
            "supplement-serious_injuries": 0,
            "supplement-missing": 0,
            "supplement-direct_loss": "100000",
            "supplement-note": "2 名重伤人员经抢救无效死亡",
        },
    )
    assert response.status_code == 302
    accident.refresh_from_db()
    assert accident.deaths == 3 and accident.grade == "larger"
    supplement = AccidentSupplement.objects.get()
    assert (supplement.old_deaths, supplement.new_deaths) == (1, 3)
    assert (supplement.old_grade, supplement.new_grade) == ("general", "larger")
    assert AuditEvent.objects.filter(verb="accident.supplemented").count() == 1


def test_supplement_after_7_days_refused_for_road_accident(accidents, county_officer, client_for):
    accident = accidents["ly"]
    Accident.objects.filter(pk=accident.pk).update(
        kind="road",
        occurred_at=NOW() - datetime.timedelta(days=8),
        reported_at=NOW() - datetime.timedelta(days=8),
    )
    response = client_for(county_officer).post(
        f"/enforcement/accidents/{accident.pk}/supplement/",
        {
            "supplement-deaths": 2,
            "supplement-serious_injuries": 0,
            "supplement-missing": 0,
            "supplement-direct_loss": "1",
            "supplement-note": "x",
        },
    )
    assert response.status_code == 409
    assert "补报期限已过" in response.content.decode()
    accident.refresh_from_db()
    assert accident.deaths == 1


@pytest.mark.parametrize("persona", ["other_town_official", "leader", "department_official"])
def test_supplement_forbidden_to_others(accidents, persona, request, client_for):
    accident = accidents["xdk"]
    response = client_for(request.getfixturevalue(persona)).post(
        f"/enforcement/accidents/{accident.pk}/supplement/",
        {
            "supplement-deaths": 5,
            "supplement-serious_injuries": 0,
            "supplement-missing": 0,
            "supplement-direct_loss": "1",
            "supplement-note": "x",
        },
    )
    assert response.status_code in (403, 404)
    accident.refresh_from_db()
    assert accident.deaths == 1


def test_step_wrong_method(accidents, county_officer, client_for):
    url = f"/enforcement/accidents/{accidents['xdk'].pk}/investigate/"
    assert client_for(county_officer).get(url).status_code == 405


def test_investigation_runs_to_closed_with_deadlines(
    accidents, county, county_officer, api_client_for
):
    accident = accidents["xdk"]
    api = api_client_for(county_officer)
    today = timezone.localdate()
    base = f"/api/v1/accidents/{accident.pk}"
    r = api.post(
        f"{base}/investigate/",
        {"started_on": today, "lead_unit": county.department.pk, "team": "应急局牵头"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["report_due"] == str(accident.occurred_on + datetime.timedelta(days=60))
    r = api.post(f"{base}/extend/", {"days": 30, "reason": ""}, format="json")
    assert r.status_code == 400
    r = api.post(f"{base}/extend/", {"days": 30, "reason": "需技术鉴定"}, format="json")
    assert r.json()["report_due"] == str(accident.occurred_on + datetime.timedelta(days=90))
    r = api.post(f"{base}/extend/", {"days": 31, "reason": "再延"}, format="json")
    assert r.status_code == 400 and "最多还可延长 30 日" in str(r.json())
    r = api.post(
        f"{base}/submit-report/", {"submitted_on": today, "summary": "违章作业"}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["decision_due"] == str(today + datetime.timedelta(days=15))
    r = api.post(f"{base}/close/", {"closed_on": today}, format="json")
    assert r.status_code == 409
    r = api.post(f"{base}/decide/", {"decided_on": today, "decision": "同意"}, format="json")
    r = api.post(f"{base}/close/", {"closed_on": today}, format="json")
    assert r.json()["status"] == InvestigationStatus.CLOSED
    assert AuditEvent.objects.filter(verb__startswith="accident.").count() == 5


@pytest.mark.parametrize("persona", ["town_official", "leader", "enterprise_manager"])
def test_investigation_steps_forbidden_to_others(
    accidents, county, persona, request, api_client_for
):
    accident = accidents["xdk"]
    r = api_client_for(request.getfixturevalue(persona)).post(
        f"/api/v1/accidents/{accident.pk}/investigate/",
        {"started_on": timezone.localdate(), "lead_unit": county.department.pk, "team": "x"},
        format="json",
    )
    assert r.status_code == 403
    accident.refresh_from_db()
    assert accident.status == InvestigationStatus.REPORTED


def test_api_create_and_refusals(county, town_official, leader, api_client_for):
    data = _report_data(county)
    del data["industry"], data["party_name"]
    assert api_client_for(leader).post("/api/v1/accidents/", data, format="json").status_code == 403
    r = api_client_for(town_official).post(
        "/api/v1/accidents/", {**data, "reported_at": _when(5)}, format="json"
    )
    assert r.status_code == 400 and "报告时间不能早于" in str(r.json())
    r = api_client_for(town_official).post("/api/v1/accidents/", data, format="json")
    assert r.status_code == 201 and r.json()["grade"] == "general"
    assert Accident.objects.count() == 1


# --- statistics --------------------------------------------------------------------------


def _on(year_offset: int, month_day_offset_days: int = 0):
    now = timezone.localtime()
    return now.replace(year=now.year + year_offset) - datetime.timedelta(days=month_day_offset_days)


def test_year_on_year_report_figures(county, county_officer, client_for):
    recorded = county_officer
    this_deaths = [2, 1, 1, 1, 1, 1, 1]
    for i, d in enumerate(this_deaths):
        when = timezone.localtime() - (timezone.localtime() - _start(0)) * (i + 1) / 8
        AccidentFactory(
            unit=county.town, town=county.town, deaths=d, occurred_at=when, recorded_by=recorded
        )
    for i in range(24):
        when = _start(-1) + (_on(-1) - _start(-1)) * (i + 1) / 25
        AccidentFactory(
            unit=county.other_town,
            town=county.other_town,
            deaths=1,
            occurred_at=when,
            recorded_by=recorded,
        )
    # after last year's same date: not counted
    AccidentFactory(
        unit=county.town,
        town=county.town,
        occurred_at=_on(-1) + datetime.timedelta(hours=2),
        recorded_by=recorded,
    )
    rows, total = year_on_year()
    assert total.summary == "7 起 8 人 vs 24 起 24 人"
    assert (total.accidents.text, total.deaths.text) == ("下降 70.8 %", "下降 66.7 %")
    xdk = next(r for r in rows if r.town_id == county.town.pk)
    assert xdk.accidents.text == "—"  # none last year there
    page = client_for(county_officer).get("/enforcement/accidents/statistics/").content.decode()
    assert "下降 70.8 %" in page and "下降 66.7 %" in page and "—" in page


def _start(year_offset: int):
    now = timezone.localtime()
    return now.replace(
        year=now.year + year_offset, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def test_town_sees_its_own_row_and_the_county_total(
    accidents, county, town_official, client_for, api_client_for
):
    page = client_for(town_official).get("/enforcement/accidents/statistics/")
    assert [row.town_id for row in page.context["rows"]] == [county.town.pk]
    assert page.context["total"].accidents.this == 3
    data = api_client_for(town_official).get("/api/v1/accidents/statistics/").json()
    assert [r["town_id"] for r in data["rows"]] == [county.town.pk]
    assert data["total"]["accidents"]["this"] == "3.00"


@pytest.mark.parametrize("persona", ["enterprise_manager", "expert"])
def test_statistics_forbidden(persona, request, client_for, api_client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/enforcement/accidents/statistics/").status_code == 403
    assert api_client_for(user).get("/api/v1/accidents/statistics/").status_code == 403


def test_home_card_for_the_county_office(accidents, county_officer, town_official, client_for):
    assert 'data-testid="accidents-card"' in client_for(county_officer).get("/").content.decode()
    assert 'data-testid="accidents-card"' not in client_for(town_official).get("/").content.decode()


# --- query counts ------------------------------------------------------------------------


def _many(county, user, n):
    for _ in range(n):
        AccidentFactory(
            unit=county.town,
            town=county.town,
            recorded_by=user,
            enterprise=county.xdk_build,
            industry=county.industry_b,
        )


@pytest.mark.parametrize(
    "path", ["/enforcement/accidents/", "/enforcement/accidents/statistics/", "/api/v1/accidents/"]
)
def test_query_counts_constant(
    county, county_officer, client_for, django_assert_max_num_queries, path
):
    client = client_for(county_officer)
    _many(county, county_officer, 2)
    client.get(path)
    with django_assert_max_num_queries(12) as small:
        client.get(path)
    _many(county, county_officer, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(path)


def test_detail_query_count_constant(
    county, county_officer, client_for, django_assert_max_num_queries
):
    accident = AccidentFactory(unit=county.town, town=county.town, recorded_by=county_officer)
    client = client_for(county_officer)
    services.supplement_accident(
        actor=county_officer,
        accident_id=accident.pk,
        deaths=1,
        serious_injuries=1,
        missing=0,
        direct_loss=Decimal("1"),
        note="a",
    )
    with django_assert_max_num_queries(20) as small:
        client.get(f"/enforcement/accidents/{accident.pk}/")
    for _ in range(5):
        services.supplement_accident(
            actor=county_officer,
            accident_id=accident.pk,
            deaths=1,
            serious_injuries=2,
            missing=0,
            direct_loss=Decimal("1"),
            note="b",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/enforcement/accidents/{accident.pk}/")


def test_a_past_year_compares_whole_years(county, county_officer, client_for, api_client_for):
    last_year = timezone.localdate().year - 1
    for month in (3, 11):  # November is after today's date in no year-to-date window
        AccidentFactory(
            unit=county.town,
            town=county.town,
            occurred_at=timezone.make_aware(datetime.datetime(last_year, month, 5, 10)),
            reported_at=timezone.make_aware(datetime.datetime(last_year, month, 5, 10, 30)),
            recorded_by=county_officer,
        )
    data = api_client_for(county_officer).get(f"/api/v1/accidents/statistics/?year={last_year}")
    assert data.status_code == 200
    assert data.json()["total"]["accidents"]["this"] == "2.00"
    page = client_for(county_officer).get(f"/enforcement/accidents/statistics/?year={last_year}")
    assert page.context["total"].accidents.this == 2
    assert page.context["this_period"][1] == datetime.date(last_year, 12, 31)


@pytest.mark.parametrize("year", ["1999", "abc", str(datetime.date.today().year + 1)])
def test_a_bad_statistics_year_is_a_400_with_the_reason(year, county_officer, api_client_for):
    response = api_client_for(county_officer).get(f"/api/v1/accidents/statistics/?year={year}")
    assert response.status_code == 400
    assert "year" in response.json()


def test_a_bad_year_on_the_statistics_page_says_so_and_shows_this_year(county_officer, client_for):
    page = client_for(county_officer).get("/enforcement/accidents/statistics/?year=1999")
    assert page.status_code == 200
    assert page.context["year"] == timezone.localdate().year
    assert "年度无效" in page.content.decode()
