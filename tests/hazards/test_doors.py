"""One door per record type, child records included: in scope you get the record (loaded
in one query), out of scope or missing you get 404, never a hint that it exists."""

from __future__ import annotations

import pytest
from django.http import Http404

from hazards import permissions, services
from tests.hazards.conftest import days

DOORS = {
    "hazard": permissions.get_hazard_for_user,
    "attachment": permissions.get_attachment_for_user,
    "progress_entry": permissions.get_progress_entry_for_user,
    "listing": permissions.get_listing_for_user,
}


@pytest.fixture
def records(major, enterprise_manager, png_upload):
    entry = services.record_progress(
        actor=enterprise_manager,
        hazard_id=major.pk,
        entry_date=days(0),
        percent=30,
        note="加固中",
        files=[png_upload()],
    )
    return {
        "hazard": major,
        "attachment": entry.attachments.get(),
        "progress_entry": entry,
        "listing": major.listing,
    }


@pytest.mark.parametrize("kind", DOORS)
def test_each_child_record_has_a_door_that_hides_it_out_of_scope(
    kind, records, town_official, other_town_official, enterprise_manager
):
    record = records[kind]
    for user in (town_official, enterprise_manager):
        assert DOORS[kind](user, record.pk).pk == record.pk
    with pytest.raises(Http404):
        DOORS[kind](other_town_official, record.pk)
    with pytest.raises(Http404):
        DOORS[kind](town_official, 10**9)
    with pytest.raises(Http404):
        DOORS[kind](town_official, "not-a-number")


def test_the_hazard_door_loads_what_its_page_shows_in_one_query(
    records, town_official, django_assert_num_queries
):
    with django_assert_num_queries(1):
        hazard = permissions.get_hazard_for_user(town_official, records["hazard"].pk)
        assert hazard.enterprise.name and hazard.town.name and hazard.industry.name
        assert hazard.listing.list_number and hazard.slip.supervising_unit.name


def test_bulletins_are_behind_the_rule_of_who_reads_them(
    county_officer, town_official, enterprise_manager
):
    bulletin = services.generate_bulletin(actor=county_officer)
    assert permissions.get_bulletin_for_user(town_official, bulletin.pk) == bulletin
    with pytest.raises(Http404):
        permissions.get_bulletin_for_user(enterprise_manager, bulletin.pk)


@pytest.mark.parametrize(
    "url", ["/api/v1/hazard-progress/{entry}/", "/api/v1/major-hazards/{listing}/"]
)
def test_api_child_records_out_of_scope_are_404(
    url, records, api_client_for, town_official, other_town_official
):
    path = url.format(entry=records["progress_entry"].pk, listing=records["listing"].pk)
    assert api_client_for(town_official).get(path).status_code == 200
    assert api_client_for(other_town_official).get(path).status_code == 404
