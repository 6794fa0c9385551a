"""约谈 records: the county office drafts, records and closes; who sees what; bad input
refused in Chinese with nothing changed; constant query counts; higher apps link records."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from responsibilities.interview_models import Interview, InterviewStatus
from responsibilities.interview_services import draft_interview, record_held
from safetyportal.audit.models import AuditEvent

TODAY = timezone.localdate


def _draft(county, actor, **extra):
    data = {
        "summoned_unit": county.town,
        "reason_kind": "hazard_overdue",
        "reason_text": "重大隐患逾期未整改",
        "date": TODAY(),
    }
    data.update(extra)
    return draft_interview(actor=actor, **data)


def _form(county, **extra):
    data = {
        "summoned_unit": county.town.pk,
        "summoned_name": "",
        "reason_kind": "accident",
        "reason_text": "发生一般事故",
        "date": TODAY().isoformat(),
        "participants": "",
    }
    data.update(extra)
    return data


HELD = {
    "held_on": "",
    "participants": "镇长、安监站长",
    "minutes": "通报情况",
    "commitments": "7日内整改",
}


def _held(prefix="hold-", **extra):
    data = {**HELD, "held_on": TODAY().isoformat(), **extra}
    return {f"{prefix}{key}": value for key, value in data.items()}


# --- create -------------------------------------------------------------------------------


def test_county_office_drafts_an_interview(county, county_officer, client_for):
    response = client_for(county_officer).post("/responsibilities/interviews/new/", _form(county))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.status == InterviewStatus.DRAFT
    assert interview.summoning_unit == county.office and interview.summoned_name == "小渡口镇"
    assert interview.feedback_due == TODAY() + datetime.timedelta(days=7)
    assert AuditEvent.objects.filter(verb="interview.drafted").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"summoned_unit": "", "summoned_name": ""}, "请选择被约谈单位"),
        ({"reason_text": ""}, "该字段是必填项。"),
        ({"reason_kind": "nonsense"}, "选择一个有效的选项"),
    ],
)
def test_bad_draft_refused_in_chinese(county, county_officer, client_for, change, message):
    response = client_for(county_officer).post(
        "/responsibilities/interviews/new/", _form(county, **change)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    "persona", ["leader", "town_official", "department_official", "enterprise_manager", "expert"]
)
def test_draft_forbidden(county, persona, request, client_for, api_client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get("/responsibilities/interviews/new/").status_code == 403
    assert client.post("/responsibilities/interviews/new/", _form(county)).status_code == 403
    assert api_client_for(user).post("/api/v1/interviews/", _form(county)).status_code == 403
    assert not Interview.objects.exists()


def test_draft_wrong_method(county_officer, client_for):
    assert client_for(county_officer).put("/responsibilities/interviews/new/").status_code == 405


def test_api_draft(county, county_officer, api_client_for):
    client = api_client_for(county_officer)
    response = client.post(
        "/api/v1/interviews/", _form(county, summoned_unit="", summoned_name="某企业")
    )
    assert response.status_code == 201, response.content
    assert response.json()["summoned_name"] == "某企业"
    bad = client.post("/api/v1/interviews/", _form(county, summoned_unit="", summoned_name=""))
    assert bad.status_code == 400
    assert "请选择被约谈单位" in bad.content.decode()
    assert Interview.objects.count() == 1


def test_higher_app_links_its_records(county, county_officer):
    interview = _draft(
        county,
        county_officer,
        summoned_unit=None,
        summoned_object=county.xdk_chem,
        reason_object=county.xdk_chem,
    )
    interview.refresh_from_db()
    assert interview.summoned_object == county.xdk_chem
    assert interview.summoned_name == county.xdk_chem.name
    assert interview.reason_object == county.xdk_chem


# --- steps --------------------------------------------------------------------------------


def test_hold_then_close(county, county_officer, client_for):
    interview = _draft(county, county_officer)
    client = client_for(county_officer)
    url = f"/responsibilities/interviews/{interview.pk}/"
    assert client.post(url + "hold/", _held()).status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.HELD and interview.minutes == "通报情况"
    assert interview.feedback_due == TODAY() + datetime.timedelta(days=7)
    data = {"close-feedback_on": TODAY().isoformat(), "close-feedback": "已整改完毕"}
    assert client.post(url + "close/", data).status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CLOSED and interview.feedback == "已整改完毕"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"interview.held", "interview.closed"} <= verbs


def test_close_before_hold_refused(county, county_officer, client_for):
    interview = _draft(county, county_officer)
    data = {"close-feedback_on": TODAY().isoformat(), "close-feedback": "x"}
    response = client_for(county_officer).post(
        f"/responsibilities/interviews/{interview.pk}/close/", data
    )
    assert response.status_code in (400, 409)
    assert "不能执行此步骤" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DRAFT


def test_bad_step_input_refused_nothing_changed(county, county_officer, client_for):
    interview = _draft(county, county_officer)
    response = client_for(county_officer).post(
        f"/responsibilities/interviews/{interview.pk}/hold/", _held(minutes="")
    )
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DRAFT and not interview.minutes


def test_feedback_before_interview_refused(county, county_officer, client_for):
    interview = _draft(county, county_officer)
    record_held(
        actor=county_officer,
        interview_id=interview.pk,
        held_on=TODAY(),
        participants="a",
        minutes="b",
        commitments="",
    )
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    response = client_for(county_officer).post(
        f"/responsibilities/interviews/{interview.pk}/close/",
        {"close-feedback_on": yesterday, "close-feedback": "x"},
    )
    assert response.status_code == 400
    assert "反馈日期不能早于约谈日期" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.HELD


@pytest.mark.parametrize("persona", ["leader", "town_official"])
def test_steps_forbidden(county, county_officer, persona, request, client_for, api_client_for):
    interview = _draft(county, county_officer)
    user = request.getfixturevalue(persona)
    url = f"/responsibilities/interviews/{interview.pk}/hold/"
    assert client_for(user).post(url, _held()).status_code == 403
    api_url = f"/api/v1/interviews/{interview.pk}/hold/"
    assert api_client_for(user).post(api_url, _held(prefix="")).status_code == 403
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DRAFT


def test_steps_wrong_method(county, county_officer, client_for):
    interview = _draft(county, county_officer)
    client = client_for(county_officer)
    for step in ("hold", "close"):
        assert client.get(f"/responsibilities/interviews/{interview.pk}/{step}/").status_code == 405


def test_api_steps(county, county_officer, api_client_for):
    interview = _draft(county, county_officer)
    client = api_client_for(county_officer)
    response = client.post(f"/api/v1/interviews/{interview.pk}/hold/", _held(prefix=""))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"


# --- visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("county_officer", {"town", "other"}),
        ("leader", {"town", "other"}),
        ("town_official", {"town"}),
        ("other_town_official", {"other"}),
        ("department_official", set()),
    ],
)
def test_visibility(county, county_officer, persona, sees, request, client_for, api_client_for):
    made = {
        "town": _draft(county, county_officer, summoned_unit=county.town),
        "other": _draft(county, county_officer, summoned_unit=county.other_town),
    }
    user = request.getfixturevalue(persona)
    ids = {i["id"] for i in api_client_for(user).get("/api/v1/interviews/").json()["results"]}
    assert ids == {made[k].pk for k in sees}
    client = client_for(user)
    assert client.get("/responsibilities/interviews/").status_code == 200
    for key, interview in made.items():
        status = client.get(f"/responsibilities/interviews/{interview.pk}/").status_code
        assert status == (200 if key in sees else 404)


@pytest.mark.parametrize("persona", ["enterprise_manager", "expert"])
def test_enterprises_and_experts_see_none(
    county, county_officer, persona, request, client_for, api_client_for
):
    interview = _draft(county, county_officer)
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get("/responsibilities/interviews/").status_code == 403
    assert client.get(f"/responsibilities/interviews/{interview.pk}/").status_code == 404
    assert api_client_for(user).get("/api/v1/interviews/").status_code == 403


def test_overdue_filter(county, county_officer, client_for):
    old = _draft(county, county_officer, date=TODAY() - datetime.timedelta(days=20))
    record_held(
        actor=county_officer,
        interview_id=old.pk,
        held_on=old.date,
        participants="a",
        minutes="b",
        commitments="",
    )
    fresh = _draft(county, county_officer)
    assert set(Interview.objects.feedback_overdue()) == {old}
    page = client_for(county_officer).get("/responsibilities/interviews/?overdue=true")
    assert [i.pk for i in page.context["page"]] == [old.pk]
    page = client_for(county_officer).get("/responsibilities/interviews/?status=draft")
    assert [i.pk for i in page.context["page"]] == [fresh.pk]


def test_list_query_count_constant(
    county, county_officer, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    _draft(county, county_officer)
    client.get("/responsibilities/interviews/")
    with django_assert_max_num_queries(20) as one:
        client.get("/responsibilities/interviews/")
    for n in range(5):
        _draft(county, county_officer, summoned_unit=county.other_town, reason_text=f"事由{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/responsibilities/interviews/").status_code == 200
