"""The duty-list API: visibility per role, filters, mark-done (JSON note or multipart
file) allowed / forbidden / wrong method / bad input, query counts constant."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responsibilities import duty_services
from responsibilities.duty_models import DutyItemStatus
from safetyportal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
YEAR = 2026
LISTS = "/api/v1/duty-lists/"


def _done_url(item) -> str:
    return f"/api/v1/duty-items/{item.pk}/mark-done/"


@pytest.fixture
def lists(county, county_officer):
    made = {}
    for key, owner in (("town", county.town), ("department", county.department)):
        duty_list = duty_services.create_duty_list(actor=county_officer, year=YEAR, owner=owner)
        duty_services.add_duty_item(actor=county_officer, duty_list_id=duty_list.pk, content="检查")
        made[key] = duty_list
    made["old"] = duty_services.create_duty_list(
        actor=county_officer, year=YEAR - 1, owner=county.town
    )
    return made


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_visibility_per_role(
    lists,
    api_client_for,
    county_officer,
    leader,
    town_official,
    other_town_official,
    department_official,
    enterprise_manager,
    expert,
):
    everything = {duty_list.pk for duty_list in lists.values()}
    assert _ids(api_client_for(county_officer).get(LISTS)) == everything
    assert _ids(api_client_for(leader).get(LISTS)) == everything
    assert _ids(api_client_for(town_official).get(LISTS)) == {lists["town"].pk, lists["old"].pk}
    assert _ids(api_client_for(department_official).get(LISTS)) == {lists["department"].pk}
    assert _ids(api_client_for(other_town_official).get(LISTS)) == set()
    detail = f"{LISTS}{lists['town'].pk}/"
    assert api_client_for(other_town_official).get(detail).status_code == 404
    body = api_client_for(town_official).get(detail).json()
    assert [item["content"] for item in body["items"]] == ["检查"]
    for user in (enterprise_manager, expert):
        response = api_client_for(user).get(LISTS)
        assert response.status_code == 403 and "机关用户" in response.json()["detail"]


def test_filters(lists, county, api_client_for, county_officer):
    client = api_client_for(county_officer)
    assert _ids(client.get(LISTS, {"year": YEAR - 1})) == {lists["old"].pk}
    assert _ids(client.get(LISTS, {"year": YEAR, "owner": county.town.pk})) == {lists["town"].pk}
    response = client.get(LISTS, {"year": "去年"})
    assert response.status_code == 400 and "year" in response.json()


def test_mark_done_with_a_note(lists, api_client_for, town_official):
    item = lists["town"].items.get()
    response = api_client_for(town_official).post(
        _done_url(item), {"evidence_note": "已完成"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == DutyItemStatus.DONE
    item.refresh_from_db()
    assert item.status == DutyItemStatus.DONE and item.evidence_note == "已完成"
    assert AuditEvent.objects.filter(verb="duty_item.done").count() == 1


def test_mark_done_with_a_file(lists, api_client_for, town_official):
    from tests.factories import evidence_photo

    item = lists["town"].items.get()
    response = api_client_for(town_official).post(
        _done_url(item), {"evidence_file": evidence_photo()}, format="multipart"
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.evidence_file


def test_mark_done_forbidden(lists, api_client_for, leader, county_officer, other_town_official):
    item = lists["town"].items.get()
    for user in (leader, county_officer):
        response = api_client_for(user).post(_done_url(item), {"evidence_note": "x"}, format="json")
        assert response.status_code == 403
        assert "责任单位" in response.json()["detail"]
    response = api_client_for(other_town_official).post(
        _done_url(item), {"evidence_note": "x"}, format="json"
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == DutyItemStatus.PENDING
    assert not AuditEvent.objects.filter(verb="duty_item.done").exists()


def test_mark_done_wrong_method_and_bad_input(lists, api_client_for, town_official):
    item = lists["town"].items.get()
    client = api_client_for(town_official)
    assert client.get(_done_url(item)).status_code == 405
    response = client.post(_done_url(item), {"evidence_note": " "}, format="json")
    assert response.status_code == 400
    assert "请填写完成情况说明" in response.json()["evidence_note"][0]
    assert client.post(_done_url(item), {"evidence_note": "a"}, format="json").status_code == 200
    again = client.post(_done_url(item), {"evidence_note": "b"}, format="json")
    # a state conflict, as for every workflow step (ADR 0007)
    assert again.status_code == 409 and "已标记完成" in again.json()["detail"]
    item.refresh_from_db()
    assert item.evidence_note == "a"


def test_writes_are_not_offered(lists, api_client_for, county_officer):
    client = api_client_for(county_officer)
    assert client.post(LISTS, {}, format="json").status_code == 405
    assert client.delete(f"{LISTS}{lists['town'].pk}/").status_code == 405


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_count_constant(lists, county, api_client_for, county_officer):
    client = api_client_for(county_officer)
    before = _count(client, LISTS)
    for owner in (county.other_town, county.other_department):
        duty_list = duty_services.create_duty_list(actor=county_officer, year=YEAR, owner=owner)
        for _n in range(3):
            duty_services.add_duty_item(
                actor=county_officer, duty_list_id=duty_list.pk, content="x"
            )
    assert _count(client, LISTS) == before
