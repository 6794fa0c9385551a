"""The flag for enterprises that score high in self-assessment while hazards keep being
found there (thresholds are settings)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.models import Enterprise
from hazards.assessment_selectors import high_score_with_hazards
from hazards.models import HazardSource, HazardStatus
from tests.enterprises.factories_duties import PeriodFactory, small_template
from tests.hazards.factories import HazardFactory

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.SELF_ASSESSMENT_FLAG_MIN_TOTAL = 90
    settings.SELF_ASSESSMENT_FLAG_MIN_HAZARDS = 3
    settings.SELF_ASSESSMENT_FLAG_WINDOW_DAYS = 365


def assessed(enterprise, total, status=AssessmentStatus.ACCEPTED, year=2026):
    return SelfAssessment.objects.create(
        enterprise=enterprise,
        period=PeriodFactory(year=year),
        template=small_template(),
        status=status,
        total=Decimal(total),
    )


def hazards(enterprise, count, found_on=TODAY, **extra):
    for _ in range(count):
        HazardFactory(enterprise=enterprise, found_on=found_on, **extra)


def flagged():
    return list(high_score_with_hazards(Enterprise.objects.all(), today=TODAY))


def test_high_total_with_three_hazards_is_flagged(county):
    assessed(county.xdk_build, "90.0")
    hazards(county.xdk_build, 3)
    [enterprise] = flagged()
    assert enterprise == county.xdk_build
    assert enterprise.hazards_found == 3 and enterprise.assessed_total == Decimal("90.0")


@pytest.mark.parametrize(("total", "count"), [("89.9", 3), ("95", 2)])
def test_just_below_either_threshold_is_not_flagged(county, total, count):
    assessed(county.xdk_build, total)
    hazards(county.xdk_build, count)
    assert flagged() == []


def test_hazards_outside_the_window_or_voided_do_not_count(county):
    assessed(county.xdk_build, "95")
    hazards(county.xdk_build, 2)
    hazards(county.xdk_build, 1, found_on=TODAY - datetime.timedelta(days=366))
    hazards(county.xdk_build, 1, status=HazardStatus.VOIDED)
    assert flagged() == []
    hazards(county.xdk_build, 1, found_on=TODAY - datetime.timedelta(days=365))
    assert flagged() == [county.xdk_build]


def test_the_enterprises_own_reports_do_not_count_only_hazards_found_by_others(county):
    """Honest self-reporting is not punished: many self-reported hazards (自查自报) do not
    flag a high score; the same number found by an inspection does."""
    assessed(county.xdk_build, "95")
    assessed(county.xdk_chem, "95")
    hazards(county.xdk_build, 10, source=HazardSource.SELF_CHECK)
    hazards(county.xdk_chem, 10, source=HazardSource.INSPECTION)
    assert flagged() == [county.xdk_chem]
    assert flagged()[0].hazards_found == 10


@pytest.mark.parametrize("source", [s for s in HazardSource.values if s != HazardSource.SELF_CHECK])
def test_hazards_found_through_every_other_channel_count(county, source):
    assessed(county.xdk_build, "95")
    hazards(county.xdk_build, 2, source=HazardSource.SELF_CHECK)
    hazards(county.xdk_build, 2, source=source)
    assert flagged() == []  # 2 found by others: below the threshold of 3
    hazards(county.xdk_build, 1, source=source)
    assert flagged() == [county.xdk_build]


def test_only_the_latest_submitted_assessment_counts(county):
    assessed(county.xdk_build, "95", year=2025)
    assessed(county.xdk_build, "70", year=2026)
    assessed(county.xdk_chem, "99", status=AssessmentStatus.DRAFT)
    hazards(county.xdk_build, 5)
    hazards(county.xdk_chem, 5)
    assert flagged() == []


def test_flag_page_is_scoped_and_for_government_roles(
    county, town_official, other_town_official, enterprise_manager, client_for, settings
):
    assessed(county.xdk_build, "95")
    hazards(county.xdk_build, 3, found_on=datetime.date.today())
    url = reverse("hazards:assessment_flags")
    assert county.xdk_build.name in client_for(town_official).get(url).content.decode()
    assert county.xdk_build.name not in client_for(other_town_official).get(url).content.decode()
    assert client_for(enterprise_manager).get(url).status_code == 403


def test_flag_page_queries_do_not_grow(
    county, county_officer, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    url = reverse("hazards:assessment_flags")
    client.get(url)
    for enterprise in (county.xdk_build, county.xdk_chem, county.ly_build):
        assessed(enterprise, "95")
        hazards(enterprise, 3, found_on=datetime.date.today())
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 4
