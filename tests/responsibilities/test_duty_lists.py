"""Duty lists (issue 11 item 1): writes, visibility, copying a year, query counts, and
bad input refused in Chinese with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyItemStatus, DutyList
from responsibilities.permissions import duty_lists_visible_to
from safetyportal.audit.models import AuditEvent
from safetyportal.workflow import StepNotAllowed

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def town_list(county, county_officer):
    duty_list = duty_services.create_duty_list(
        actor=county_officer, year=YEAR, owner=county.town, owner_person="孙镇长"
    )
    for n in range(3):
        duty_services.add_duty_item(
            actor=county_officer,
            duty_list_id=duty_list.pk,
            content=f"每月组织安全检查 {n}",
            legal_basis="条例第七条",
            frequency="每月",
            deadline=datetime.date(YEAR, 12, 31),
        )
    return duty_list


@pytest.fixture
def department_list(county, county_officer):
    duty_list = duty_services.create_duty_list(
        actor=county_officer, year=YEAR, owner=county.department
    )
    duty_services.add_duty_item(actor=county_officer, duty_list_id=duty_list.pk, content="监管")
    return duty_list


def test_only_the_county_office_creates_lists(county, town_official, leader):
    for user in (town_official, leader):
        with pytest.raises(PermissionDenied):
            duty_services.create_duty_list(actor=user, year=YEAR, owner=county.town)
    assert not DutyList.objects.exists()


def test_visibility(
    town_list,
    department_list,
    county_officer,
    leader,
    town_official,
    other_town_official,
    department_official,
    enterprise_manager,
    expert,
):
    both = {town_list.pk, department_list.pk}
    assert set(duty_lists_visible_to(county_officer).values_list("pk", flat=True)) == both
    assert set(duty_lists_visible_to(leader).values_list("pk", flat=True)) == both
    assert list(duty_lists_visible_to(town_official).values_list("pk", flat=True)) == [town_list.pk]
    assert list(duty_lists_visible_to(department_official).values_list("pk", flat=True)) == [
        department_list.pk
    ]
    assert not duty_lists_visible_to(other_town_official).exists()
    assert not duty_lists_visible_to(enterprise_manager).exists()
    assert not duty_lists_visible_to(expert).exists()


def test_pages_by_role(
    town_list, client_for, county_officer, leader, other_town_official, enterprise_manager, expert
):
    overview = reverse("responsibilities:duty_overview") + f"?year={YEAR}"
    detail = reverse("responsibilities:duty_list", args=[town_list.pk])
    for user in (county_officer, leader):
        client = client_for(user)
        response = client.get(overview)
        assert response.status_code == 200
        assert "小渡口镇" in response.content.decode()
        assert client.get(detail).status_code == 200
    assert client_for(other_town_official).get(detail).status_code == 404
    assert "小渡口镇" not in client_for(other_town_official).get(overview).content.decode()
    for user in (enterprise_manager, expert):
        assert client_for(user).get(overview).status_code == 403
        assert client_for(user).get(detail).status_code == 403


def test_mark_done_allowed(town_list, client_for, town_official):
    item = town_list.items.first()
    client = client_for(town_official)
    assert (
        "标记完成"
        in client.get(reverse("responsibilities:duty_list", args=[town_list.pk])).content.decode()
    )
    response = client.post(
        reverse("responsibilities:duty_item_done", args=[item.pk]),
        {"mark_done-evidence_note": "已检查12次"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == DutyItemStatus.DONE
    assert item.done_on is not None
    assert AuditEvent.objects.filter(verb="duty_item.done").count() == 1


def test_mark_done_with_file(town_list, town_official):
    from tests.factories import evidence_photo

    item = town_list.items.first()
    duty_services.mark_duty_item_done(
        actor=town_official, item_id=item.pk, evidence_file=evidence_photo()
    )
    item.refresh_from_db()
    assert item.evidence_file


def test_mark_done_forbidden(town_list, client_for, leader, county_officer, other_town_official):
    item = town_list.items.first()
    url = reverse("responsibilities:duty_item_done", args=[item.pk])
    assert client_for(leader).post(url, {"mark_done-evidence_note": "x"}).status_code == 403
    assert client_for(county_officer).post(url, {"mark_done-evidence_note": "x"}).status_code == 403
    assert (
        client_for(other_town_official).post(url, {"mark_done-evidence_note": "x"}).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.status == DutyItemStatus.PENDING
    assert not AuditEvent.objects.filter(verb="duty_item.done").exists()


def test_mark_done_wrong_method(town_list, client_for, town_official):
    item = town_list.items.first()
    url = reverse("responsibilities:duty_item_done", args=[item.pk])
    assert client_for(town_official).get(url).status_code == 405


def test_done_without_evidence_refused_in_chinese(town_list, client_for, town_official):
    item = town_list.items.first()
    response = client_for(town_official).post(
        reverse("responsibilities:duty_item_done", args=[item.pk]),
        {"mark_done-evidence_note": "  "},
        follow=True,
    )
    assert "请填写完成情况说明、上传佐证材料或填写佐证记录链接" in response.content.decode()
    item.refresh_from_db()
    assert item.status == DutyItemStatus.PENDING
    assert not AuditEvent.objects.filter(verb="duty_item.done").exists()


def test_done_twice_refused(town_list, town_official):
    item = town_list.items.first()
    duty_services.mark_duty_item_done(actor=town_official, item_id=item.pk, evidence_note="a")
    with pytest.raises(StepNotAllowed, match="已标记完成"):
        duty_services.mark_duty_item_done(actor=town_official, item_id=item.pk, evidence_note="b")
    item.refresh_from_db()
    assert item.evidence_note == "a"


def test_copy_year_resets_items(town_list, county_officer, town_official):
    first = town_list.items.first()
    duty_services.mark_duty_item_done(actor=town_official, item_id=first.pk, evidence_note="a")
    copy = duty_services.copy_duty_list(
        actor=county_officer, duty_list_id=town_list.pk, year=YEAR + 1
    )
    assert copy.year == YEAR + 1 and copy.owner_id == town_list.owner_id
    assert copy.owner_person == "孙镇长"
    items = list(copy.items.order_by("order"))
    assert [i.content for i in items] == [i.content for i in town_list.items.order_by("order")]
    assert all(i.status == DutyItemStatus.PENDING and not i.evidence_note for i in items)
    assert items[0].deadline == datetime.date(YEAR + 1, 12, 31)
    with pytest.raises(ValidationError, match="已存在"):
        duty_services.copy_duty_list(actor=county_officer, duty_list_id=town_list.pk, year=YEAR + 1)
    with pytest.raises(PermissionDenied):
        duty_services.copy_duty_list(actor=town_official, duty_list_id=town_list.pk, year=YEAR + 2)
    assert DutyList.objects.count() == 2


def test_overview_rate(town_list, client_for, county_officer, town_official):
    item = town_list.items.first()
    duty_services.mark_duty_item_done(actor=town_official, item_id=item.pk, evidence_note="a")
    response = client_for(county_officer).get(
        reverse("responsibilities:duty_overview") + f"?year={YEAR}"
    )
    assert "33%" in response.content.decode()


def _queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_constant(
    county, town_list, client_for, county_officer, django_assert_max_num_queries
):
    client = client_for(county_officer)
    overview = reverse("responsibilities:duty_overview") + f"?year={YEAR}"
    detail = reverse("responsibilities:duty_list", args=[town_list.pk])
    before = (_queries(client, overview, None), _queries(client, detail, None))
    for owner in (county.other_town, county.department, county.other_department):
        duty_services.create_duty_list(actor=county_officer, year=YEAR, owner=owner)
    for _n in range(5):
        duty_services.add_duty_item(actor=county_officer, duty_list_id=town_list.pk, content="x")
    after = (_queries(client, overview, None), _queries(client, detail, None))
    assert before == after
    assert DutyItem.objects.filter(duty_list=town_list).count() == 8
