"""The generic link of a duty item: the list page shows the linked record's kind and name,
one query per content type however many items are linked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responsibilities import duty_services

pytestmark = pytest.mark.django_db


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_linked_records_labelled_without_n_plus_one(
    county, county_officer, town_official, client_for
):
    duty_list = duty_services.create_duty_list(actor=county_officer, year=2026, owner=county.town)

    def add(link):
        duty_services.add_duty_item(
            actor=county_officer, duty_list_id=duty_list.pk, content="事项", link=link
        )

    add(county.department)
    add(town_official)
    add(None)
    client = client_for(county_officer)
    url = reverse("responsibilities:duty_list", args=[duty_list.pk])
    _count(client, url)  # content types cached
    before, page = _count(client, url)
    assert f"：{county.department}" in page
    assert page.count('data-testid="duty-item-link"') == 2
    add(county.other_town)
    add(county.other_department)
    add(county_officer)
    after, page = _count(client, url)
    assert after == before
    assert page.count('data-testid="duty-item-link"') == 5
    assert str(county.other_town) in page


def test_a_deleted_link_says_so(county, county_officer, client_for):
    duty_list = duty_services.create_duty_list(actor=county_officer, year=2026, owner=county.town)
    item = duty_services.add_duty_item(
        actor=county_officer, duty_list_id=duty_list.pk, content="事项", link=county.town
    )
    type(item).objects.filter(pk=item.pk).update(link_id=10**9)
    page = client_for(county_officer).get(
        reverse("responsibilities:duty_list", args=[duty_list.pk])
    )
    assert "关联记录已删除" in page.content.decode()
