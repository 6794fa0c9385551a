"""Controls fit the role (issue 8 item 17), checked on the server's answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.hazards.factories import RiskPointFactory


def test_enterprise_account_is_sent_from_the_registry_to_its_own_file(
    county, enterprise_manager, client_for
):
    response = client_for(enterprise_manager).get(reverse("enterprises:list"))
    assert response.status_code == 302
    assert response.url == reverse("enterprises:detail", args=[county.xdk_build.pk])


@pytest.mark.parametrize("url_name", ["hazards:list", "enterprises:list"])
def test_town_choice_is_left_off_a_town_officials_filters(
    url_name, county, town_official, county_officer, client_for
):
    own = client_for(town_official).get(reverse(url_name)).content.decode()
    assert '<select name="town"' not in own and "澧阳街道" not in own
    county_page = client_for(county_officer).get(reverse(url_name)).content.decode()
    assert '<select name="town"' in county_page


@pytest.mark.parametrize("url_name", ["hazards:list", "enterprises:list"])
def test_sort_menus_read_chinese(url_name, county, county_officer, client_for):
    page = client_for(county_officer).get(reverse(url_name)).content.decode()
    assert "（降序）" in page and "descending" not in page


@pytest.mark.parametrize(
    "url", ["/enterprises/new/", "/hazards/new/?enterprise=", "/hazards/risks/new/"]
)
def test_forms_offer_a_chinese_blank_choice(url, county, county_officer, client_for):
    if "risks" in url:
        url += f"?enterprise={county.xdk_chem.pk}"
    page = client_for(county_officer).get(url).content.decode()
    assert "<select" in page
    assert "---------" not in page


def test_risk_list_offers_edit_only_where_it_is_allowed(county, leader, county_officer, client_for):
    RiskPointFactory(enterprise=county.xdk_chem)
    assert (
        'data-testid="risk-edit"' not in client_for(leader).get("/hazards/risks/").content.decode()
    )
    assert (
        'data-testid="risk-edit"'
        in client_for(county_officer).get("/hazards/risks/").content.decode()
    )
