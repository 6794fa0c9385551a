"""The duty item's workflow (responsibilities/duty_workflow.py): mark-done with a note, a
file or a link to a portal record; reopen with a reason. Both doors (the list page through
html.step_view, the API through @step_actions), allowed / forbidden / wrong method / bad
input, and the evidence document behind the list's access check."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyItemStatus
from responsibilities.duty_workflow import DUTY_ITEM_WORKFLOW
from safetyportal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def duty_list(county, county_officer):
    duty_list = duty_services.create_duty_list(actor=county_officer, year=YEAR, owner=county.town)
    for n in range(3):
        duty_services.add_duty_item(
            actor=county_officer, duty_list_id=duty_list.pk, content=f"事项{n}"
        )
    return duty_list


@pytest.fixture
def done_item(duty_list, town_official):
    item = duty_list.items.order_by("order").first()
    duty_services.mark_duty_item_done(actor=town_official, item_id=item.pk, evidence_note="已办")
    return item


def _step(item, name: str) -> str:
    return reverse("responsibilities:duty_item_step", args=[item.pk, name])


def test_the_workflow_declares_both_steps():
    assert [step.name for step in DUTY_ITEM_WORKFLOW] == ["mark-done", "reopen"]
    assert DUTY_ITEM_WORKFLOW.sources(DUTY_ITEM_WORKFLOW.get("reopen")) == (DutyItemStatus.DONE,)


def test_mark_done_with_a_portal_link(duty_list, client_for, town_official):
    item = duty_list.items.order_by("order").first()
    link = reverse("responsibilities:committees")
    response = client_for(town_official).post(
        _step(item, "mark-done"),
        {"mark_done-evidence_link": f"http://testserver{link}", "mark_done-done_on": "2026-01-10"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == DutyItemStatus.DONE
    assert item.evidence_link == link  # kept as the portal path
    assert str(item.done_on) == "2026-01-10"
    page = client_for(town_official).get(response["Location"]).content.decode()
    assert f'href="{link}"' in page


@pytest.mark.parametrize(
    "link", ["https://example.com/x/", "javascript:alert(1)", "/no/such/page/", "//evil/"]
)
def test_a_link_outside_the_portal_is_refused(duty_list, client_for, town_official, link):
    item = duty_list.items.order_by("order").first()
    response = client_for(town_official).post(
        _step(item, "mark-done"), {"mark_done-evidence_link": link}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写本平台记录页面的链接" in page
    # the item's form stays open with its errors in place
    assert re.search(rf'id="duty-item-{item.pk}".*?data-testid="form-mark-done"', page, re.S)
    item.refresh_from_db()
    assert item.status == DutyItemStatus.PENDING
    assert not AuditEvent.objects.filter(verb="duty_item.done").exists()


def test_one_items_forms_at_a_time(duty_list, client_for, town_official):
    client = client_for(town_official)
    url = reverse("responsibilities:duty_list", args=[duty_list.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="open-mark-done"') == 3
    assert 'data-testid="form-mark-done"' not in page
    item = duty_list.items.order_by("order").last()
    page = client.get(url, {"item": item.pk}).content.decode()
    assert page.count('data-testid="form-mark-done"') == 1
    assert page.count('data-testid="open-mark-done"') == 2
    assert re.search(rf'id="duty-item-{item.pk}".*?data-testid="form-mark-done"', page, re.S)
    ids = re.findall(r'id="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert client.get(url, {"item": "x"}).status_code == 200


def test_a_future_done_date_is_refused(duty_list, client_for, town_official):
    item = duty_list.items.order_by("order").first()
    response = client_for(town_official).post(
        _step(item, "mark-done"),
        {"mark_done-evidence_note": "x", "mark_done-done_on": "2099-01-01"},
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == DutyItemStatus.PENDING


def test_reopen_allowed_for_the_county_office(done_item, client_for, county_officer, town_official):
    page = client_for(county_officer).get(
        reverse("responsibilities:duty_list", args=[done_item.duty_list_id]),
        {"item": done_item.pk},
    )
    assert 'data-testid="form-reopen"' in page.content.decode()
    response = client_for(county_officer).post(
        _step(done_item, "reopen"), {"reopen-reason": "佐证材料不全，请补充检查记录"}
    )
    assert response.status_code == 302
    done_item.refresh_from_db()
    assert done_item.status == DutyItemStatus.PENDING and done_item.done_on is None
    assert done_item.reopen_reason == "佐证材料不全，请补充检查记录"
    assert AuditEvent.objects.filter(verb="duty_item.reopened").count() == 1
    page = client_for(town_official).get(response["Location"]).content.decode()
    assert "佐证材料不全" in page and 'data-testid="open-mark-done"' in page
    # marking it done again clears the reason
    duty_services.mark_duty_item_done(
        actor=town_official, item_id=done_item.pk, evidence_note="补充了记录"
    )
    done_item.refresh_from_db()
    assert done_item.status == DutyItemStatus.DONE and done_item.reopen_reason == ""


def test_the_unit_itself_may_reopen(done_item, client_for, town_official):
    response = client_for(town_official).post(_step(done_item, "reopen"), {"reopen-reason": "误标"})
    assert response.status_code == 302
    done_item.refresh_from_db()
    assert done_item.status == DutyItemStatus.PENDING


def test_reopen_forbidden(done_item, client_for, leader, other_town_official, department_official):
    url = _step(done_item, "reopen")
    assert client_for(leader).post(url, {"reopen-reason": "x"}).status_code == 403
    assert client_for(department_official).post(url, {"reopen-reason": "x"}).status_code == 404
    assert client_for(other_town_official).post(url, {"reopen-reason": "x"}).status_code == 404
    done_item.refresh_from_db()
    assert done_item.status == DutyItemStatus.DONE
    assert not AuditEvent.objects.filter(verb="duty_item.reopened").exists()


def test_reopen_wrong_method_bad_input_and_state(duty_list, done_item, client_for, county_officer):
    client = client_for(county_officer)
    assert client.get(_step(done_item, "reopen")).status_code == 405
    response = client.post(_step(done_item, "reopen"), {"reopen-reason": " "})
    assert response.status_code == 400 and "请填写退回原因" in response.content.decode()
    pending = duty_list.items.exclude(pk=done_item.pk).first()
    response = client.post(_step(pending, "reopen"), {"reopen-reason": "x"})
    assert response.status_code == 409
    assert client.post(_step(done_item, "no-such-step"), {}).status_code == 404
    done_item.refresh_from_db()
    assert done_item.status == DutyItemStatus.DONE


def test_api_reopen(done_item, api_client_for, county_officer, leader, other_town_official):
    url = f"/api/v1/duty-items/{done_item.pk}/reopen/"
    assert api_client_for(leader).post(url, {"reason": "x"}, format="json").status_code == 403
    assert (
        api_client_for(other_town_official).post(url, {"reason": "x"}, format="json").status_code
        == 404
    )
    client = api_client_for(county_officer)
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url, {"reason": "佐证不足"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == DutyItemStatus.PENDING and body["reopen_reason"] == "佐证不足"
    again = client.post(url, {"reason": "再退"}, format="json")
    assert again.status_code == 409 and "尚未完成" in again.json()["detail"]


def test_api_mark_done_with_a_link(duty_list, api_client_for, town_official):
    item = duty_list.items.order_by("order").first()
    url = f"/api/v1/duty-items/{item.pk}/mark-done/"
    client = api_client_for(town_official)
    bad = client.post(url, {"evidence_link": "https://example.com/"}, format="json")
    assert bad.status_code == 400 and "evidence_link" in bad.json()
    link = reverse("responsibilities:committees")
    response = client.post(url, {"evidence_link": link}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["evidence_link"] == link


def test_evidence_document_behind_the_access_check(
    duty_list, client_for, town_official, county_officer, other_town_official, expert
):
    from tests.factories import evidence_photo

    item = duty_list.items.order_by("order").first()
    response = client_for(town_official).post(
        _step(item, "mark-done"), {"mark_done-evidence_file": evidence_photo()}
    )
    assert response.status_code == 302
    url = reverse("responsibilities:duty_item_evidence", args=[item.pk])
    page = (
        client_for(county_officer)
        .get(reverse("responsibilities:duty_list", args=[duty_list.pk]))
        .content.decode()
    )
    assert url in page
    download = client_for(county_officer).get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)
    assert client_for(other_town_official).get(url).status_code == 404
    assert client_for(expert).get(url).status_code == 403
    other = duty_list.items.exclude(pk=item.pk).first()
    no_file = reverse("responsibilities:duty_item_evidence", args=[other.pk])
    assert client_for(county_officer).get(no_file).status_code == 404
    assert client_for(county_officer).post(url).status_code == 405
    assert DutyItem.objects.filter(status=DutyItemStatus.DONE).count() == 1
