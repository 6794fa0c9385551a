"""The hazard detail page selects the hazard once, with everything it shows loaded, and
costs the same queries however many progress entries and attachments the hazard has."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards import services
from tests.hazards.conftest import days

# session, user, the hazard with its enterprise/town/industry/list entry/slip (one query),
# extensions, progress entries, attachments, verifications, accountability, assessment
# answers, written explanations, supervision orders (one each), the header's unread-notification count and the user's unit, and the
# history panel. Before the workflow kit the page cost 17 and selected the hazard 3 times.
DETAIL_QUERIES = 14


def add_progress(hazard, actor, png_upload, count: int) -> None:
    for i in range(count):
        services.record_progress(
            actor=actor,
            hazard_id=hazard.pk,
            entry_date=days(0),
            percent=10 + i,
            note=f"第{i}次进展",
            files=[png_upload()],
        )


def hazard_row_selects(queries) -> int:
    return sum(
        1
        for q in queries
        if re.search(r'FROM "hazards_hazard"\s+(LEFT|INNER|WHERE)', q["sql"])
        and '"hazards_hazard"."description"' in q["sql"]
    )


@pytest.mark.parametrize("persona", ["county_officer", "town_official", "enterprise_manager"])
def test_detail_page_costs_a_fixed_number_of_queries(
    persona, request, major, enterprise_manager, png_upload, client_for, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("hazards:detail", args=[major.pk])
    add_progress(major, enterprise_manager, png_upload, 1)
    assert client.get(url).status_code == 200  # warm up: content types, session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    assert hazard_row_selects(few.captured_queries) == 1
    add_progress(major, enterprise_manager, png_upload, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_detail_page_query_count_is_pinned(
    major, enterprise_manager, png_upload, client_for, county_officer, django_assert_num_queries
):
    add_progress(major, enterprise_manager, png_upload, 3)
    client = client_for(county_officer)
    url = reverse("hazards:detail", args=[major.pk])
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
