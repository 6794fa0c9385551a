"""The county office's duty-list pages (issue 11 item 1, second slice): a new list, an
added item, a list copied into a later year; allowed, forbidden, wrong method, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyList
from safetyportal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def town_list(county, county_officer):
    duty_list = duty_services.create_duty_list(actor=county_officer, year=YEAR, owner=county.town)
    duty_services.add_duty_item(actor=county_officer, duty_list_id=duty_list.pk, content="检查")
    return duty_list


def test_forms_shown_to_the_county_office_only(town_list, client_for, county_officer, leader):
    overview = reverse("responsibilities:duty_overview")
    detail = reverse("responsibilities:duty_list", args=[town_list.pk])
    office = client_for(county_officer)
    assert 'data-testid="duty-list-create"' in office.get(overview).content.decode()
    page = office.get(detail).content.decode()
    assert 'data-testid="duty-item-add"' in page and 'data-testid="duty-list-copy"' in page
    leader_client = client_for(leader)
    assert 'data-testid="duty-list-create"' not in leader_client.get(overview).content.decode()
    assert 'data-testid="duty-item-add"' not in leader_client.get(detail).content.decode()


def test_create_allowed(county, client_for, county_officer):
    response = client_for(county_officer).post(
        reverse("responsibilities:duty_list_create"),
        {"year": YEAR, "owner": county.department.pk, "owner_person": " 李局长 "},
    )
    duty_list = DutyList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("responsibilities:duty_list", args=[duty_list.pk])
    assert (duty_list.year, duty_list.owner, duty_list.owner_person) == (
        YEAR,
        county.department,
        "李局长",
    )
    assert AuditEvent.objects.filter(verb="duty_list.created").count() == 1


def test_create_forbidden(county, client_for, leader, town_official, expert):
    url = reverse("responsibilities:duty_list_create")
    data = {"year": YEAR, "owner": county.town.pk}
    for user in (leader, town_official, expert):
        assert client_for(user).post(url, data).status_code == 403
    assert not DutyList.objects.exists()


def test_create_wrong_method(client_for, county_officer):
    assert (
        client_for(county_officer).get(reverse("responsibilities:duty_list_create")).status_code
        == 405
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "", "owner": None}, "请填写年度"),
        ({"year": "1999", "owner": None}, "年度须在 2000 至 2100 之间"),
        ({"year": YEAR, "owner": "999999"}, "请选择有效的责任单位"),
    ],
)
def test_create_bad_input(county, client_for, county_officer, data, message):
    data = {**data, "owner": data["owner"] or county.town.pk}
    response = client_for(county_officer).post(
        reverse("responsibilities:duty_list_create"), data, follow=True
    )
    assert message in response.content.decode()
    assert not DutyList.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_twice_refused(town_list, county, client_for, county_officer):
    response = client_for(county_officer).post(
        reverse("responsibilities:duty_list_create"),
        {"year": YEAR, "owner": county.town.pk},
        follow=True,
    )
    assert "该单位本年度的责任清单已存在" in response.content.decode()
    assert DutyList.objects.count() == 1


def test_add_item_allowed(town_list, client_for, county_officer):
    response = client_for(county_officer).post(
        reverse("responsibilities:duty_item_add", args=[town_list.pk]),
        {"content": "每季度召开安委会", "frequency": "每季度", "deadline": f"{YEAR}-12-31"},
    )
    assert response.status_code == 302
    item = town_list.items.order_by("order").last()
    assert (item.order, item.content, item.frequency) == (2, "每季度召开安委会", "每季度")
    assert AuditEvent.objects.filter(verb="duty_item.added").count() == 2


def test_add_item_forbidden_wrong_method_bad_input(
    town_list, client_for, county_officer, leader, town_official
):
    url = reverse("responsibilities:duty_item_add", args=[town_list.pk])
    for user in (leader, town_official):
        assert client_for(user).post(url, {"content": "x"}).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    response = client_for(county_officer).post(
        url, {"content": " ", "deadline": "1800-01-01"}, follow=True
    )
    page = response.content.decode()
    assert "请填写责任内容" in page and "日期不能早于" in page
    assert DutyItem.objects.count() == 1
    missing = reverse("responsibilities:duty_item_add", args=[town_list.pk + 1000])
    assert client_for(county_officer).post(missing, {"content": "x"}).status_code == 404


def test_copy_allowed(town_list, client_for, county_officer):
    response = client_for(county_officer).post(
        reverse("responsibilities:duty_list_copy", args=[town_list.pk]), {"year": YEAR + 1}
    )
    copy = DutyList.objects.get(year=YEAR + 1)
    assert response["Location"] == reverse("responsibilities:duty_list", args=[copy.pk])
    assert list(copy.items.values_list("content", flat=True)) == ["检查"]
    assert AuditEvent.objects.filter(verb="duty_list.copied").count() == 1


def test_copy_forbidden_wrong_method_bad_input(
    town_list, client_for, county_officer, leader, town_official
):
    url = reverse("responsibilities:duty_list_copy", args=[town_list.pk])
    for user in (leader, town_official):
        assert client_for(user).post(url, {"year": YEAR + 1}).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    office = client_for(county_officer)
    assert "请填写有效的年度" in office.post(url, {"year": "x"}, follow=True).content.decode()
    assert (
        "新年度须晚于原清单年度" in office.post(url, {"year": YEAR}, follow=True).content.decode()
    )
    assert DutyList.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="duty_list.copied").exists()
