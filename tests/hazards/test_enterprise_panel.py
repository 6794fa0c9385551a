"""The hazards app's panels on the enterprise file (hazards/panels.py): the enterprise's
hazards and risk points, on the page and in its PDF, through the hazards doors, at a
fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.panels import ENTERPRISE_FILE, ENTERPRISE_FILE_PDF
from hazards.models import HazardStatus
from safetyportal.core.panels import panels_for, registered
from tests.hazards.factories import HazardFactory, RiskPointFactory
from tests.pdf import pdf_text


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def detail_url(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


def pdf_url(enterprise) -> str:
    return reverse("enterprises:file_pdf", args=[enterprise.pk])


def test_hazards_registers_a_panel_on_the_enterprise_file_and_its_pdf():
    # (enforcement adds its penalties panel to the page after this one)
    keys = [p.key for p in registered(ENTERPRISE_FILE) if p.key.startswith("hazards.")]
    assert keys == ["hazards.enterprise_hazards"]
    assert [p.key for p in registered(ENTERPRISE_FILE_PDF)] == ["hazards.enterprise_hazards_pdf"]


def test_the_panel_counts_open_and_all_hazards_and_lists_the_open_ones(county, town_official):
    HazardFactory.create_batch(2, enterprise=county.xdk_build)
    HazardFactory(enterprise=county.xdk_build, status=HazardStatus.CLOSED)
    HazardFactory(enterprise=county.xdk_chem)  # another enterprise
    RiskPointFactory(enterprise=county.xdk_build)
    [panel] = panels_for(town_official, ENTERPRISE_FILE, county.xdk_build)
    assert panel.context["hazard_total"] == 3
    assert panel.context["open_hazard_total"] == 2
    assert len(panel.context["open_hazards"]) == 2
    assert len(panel.context["risk_points"]) == 1


def test_the_panel_shows_only_what_the_hazards_doors_let_the_user_see(
    county, town_official, county_officer
):
    HazardFactory(enterprise=county.xdk_build, status=HazardStatus.VOIDED)
    [town] = panels_for(town_official, ENTERPRISE_FILE, county.xdk_build)
    [office] = panels_for(county_officer, ENTERPRISE_FILE, county.xdk_build)
    assert town.context["hazard_total"] == 0  # voided hazards: county office and leaders only
    assert office.context["hazard_total"] == 1


def test_enterprise_page_lists_open_hazards_and_risk_points(county, town_official, client_for):
    HazardFactory(enterprise=county.xdk_build, description="配电箱未接地")
    RiskPointFactory(enterprise=county.xdk_build, name="喷漆车间")
    html = client_for(town_official).get(detail_url(county.xdk_build)).content.decode()
    assert "配电箱未接地" in html and "喷漆车间" in html
    pdf = client_for(town_official).get(pdf_url(county.xdk_build))
    assert pdf.content.startswith(b"%PDF")


def test_enterprise_file_pdf_counts_every_open_hazard_not_just_the_listed_ones(
    county, town_official, client_for
):
    HazardFactory.create_batch(22, enterprise=county.xdk_build)
    response = client_for(town_official).get(pdf_url(county.xdk_build))
    text = "".join(pdf_text(response.content).split())
    assert "隐患台账共22条，未销号22条" in text


def test_the_enterprise_page_costs_the_same_queries_for_1_and_25_hazards(
    county, town_official, client_for, django_assert_num_queries
):
    client = client_for(town_official)
    HazardFactory(enterprise=county.xdk_build)
    RiskPointFactory(enterprise=county.xdk_build)
    client.get(detail_url(county.xdk_build))
    # 21 before the panels: the hazards section counted open and all hazards apart; 20 with
    # them, 22 since the legal duties per industry and size read the safety-cost rate table
    # and the safety-cost obligations once a page (enterprises/duties/selectors.py), 23
    # with enforcement's penalties panel (its count over the last year)
    with django_assert_num_queries(23):
        assert client.get(detail_url(county.xdk_build)).status_code == 200
    HazardFactory.create_batch(24, enterprise=county.xdk_build)
    RiskPointFactory.create_batch(24, enterprise=county.xdk_build)
    with django_assert_num_queries(23):
        html = client.get(detail_url(county.xdk_build)).content.decode()
    assert "台账共 25 条" in html
