"""The risk register: LEC scores, colour bands from reference data, summaries, scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hazards import risk_services as services
from hazards.risk_models import RiskBand, RiskPoint, band_for
from hazards.risk_selectors import risk_summary
from safetyportal.workflow import StepForbidden
from tests.hazards.factories import RiskPointFactory


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("400", "red"),
        ("320.01", "red"),
        ("320", "orange"),
        ("160", "orange"),
        ("159.99", "yellow"),
        ("70", "yellow"),
        ("69", "blue"),
        ("0.05", "blue"),
    ],
)
def test_seeded_bands_follow_the_lec_table(db, score, band):
    bands = list(RiskBand.objects.order_by("-min_score"))
    assert band_for(Decimal(score), bands).code == band


def test_enterprise_maintains_its_own_points_and_d_is_computed(enterprise_manager, county):
    point = services.save_risk_point(
        actor=enterprise_manager,
        enterprise=county.xdk_build,
        name="塔吊作业",
        hazard_factors="起重伤害、高处坠落",
        likelihood=Decimal("6"),
        exposure=Decimal("6"),
        consequence=Decimal("15"),
        control_measures="持证上岗，每日检查限位器",
        responsible_person="周经理",
        check_frequency="daily",
    )
    assert point.score == Decimal("540.00")
    with pytest.raises(StepForbidden):
        services.save_risk_point(actor=enterprise_manager, enterprise=county.xdk_chem, name="x")


def test_town_reviews_but_cannot_edit(client_for, town_official, county):
    point = RiskPointFactory(enterprise=county.xdk_build)
    response = client_for(town_official).get(reverse("hazards:risks"))
    assert response.status_code == 200
    assert point.name in response.content.decode()
    edit = reverse("hazards:risk_edit", args=[point.pk])
    assert client_for(town_official).post(edit, {"name": "改"}).status_code == 403
    assert RiskPoint.objects.get(pk=point.pk).name == point.name


def test_other_town_does_not_see_the_point(client_for, other_town_official, county):
    point = RiskPointFactory(enterprise=county.xdk_build)
    assert (
        client_for(other_town_official)
        .get(reverse("hazards:risk_edit", args=[point.pk]))
        .status_code
        == 404
    )


def test_risk_point_form_creates_and_rejects_bad_scores(client_for, enterprise_manager):
    url = reverse("hazards:risk_create")
    data = {
        "name": "配电房",
        "hazard_factors": "触电",
        "likelihood": "3",
        "exposure": "6",
        "consequence": "7",
        "control_measures": "绝缘防护",
        "responsible_person": "周经理",
        "check_frequency": "weekly",
    }
    assert client_for(enterprise_manager).post(url, {**data, "likelihood": "4"}).status_code == 400
    assert not RiskPoint.objects.exists()
    assert client_for(enterprise_manager).post(url, data).status_code == 302
    assert RiskPoint.objects.get().score == Decimal("126.00")


def test_summary_counts_per_colour_per_town(county):
    RiskPointFactory(
        enterprise=county.xdk_chem,
        likelihood=Decimal("10"),
        exposure=Decimal("6"),
        consequence=Decimal("15"),
    )
    RiskPointFactory(
        enterprise=county.xdk_build,
        likelihood=Decimal("1"),
        exposure=Decimal("1"),
        consequence=Decimal("1"),
    )
    RiskPointFactory(
        enterprise=county.ly_chem,
        likelihood=Decimal("3"),
        exposure=Decimal("6"),
        consequence=Decimal("7"),
    )
    bands, rows = risk_summary(RiskPoint.objects.all(), "enterprise__town__name")
    assert [b.code for b in bands] == ["red", "orange", "yellow", "blue"]
    by_town = {row["name"]: row["counts"] for row in rows}
    assert by_town == {"小渡口镇": [1, 0, 0, 1], "澧阳街道": [0, 0, 1, 0]}


def test_editing_a_band_changes_the_levels_shown(county):
    RiskPointFactory(
        enterprise=county.xdk_chem,
        likelihood=Decimal("3"),
        exposure=Decimal("6"),
        consequence=Decimal("7"),
    )
    RiskBand.objects.filter(code="orange").update(min_score=Decimal("100"))
    _, rows = risk_summary(RiskPoint.objects.all(), "enterprise__name")
    assert rows[0]["counts"] == [0, 1, 0, 0]


def test_api_risk_points_scope_and_create(
    api_client_for, enterprise_manager, town_official, county
):
    RiskPointFactory(enterprise=county.ly_build)
    client = api_client_for(enterprise_manager)
    response = client.post(
        "/api/v1/risk-points/",
        {
            "enterprise": county.xdk_build.pk,
            "name": "油漆库",
            "hazard_factors": "火灾",
            "likelihood": "3",
            "exposure": "3",
            "consequence": "15",
            "control_measures": "禁火",
            "responsible_person": "周经理",
            "check_frequency": "daily",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["level"] == "yellow"
    assert [row["name"] for row in client.get("/api/v1/risk-points/").json()["results"]] == [
        "油漆库"
    ]
    town = api_client_for(town_official)
    point_id = response.json()["id"]
    refused = town.patch(f"/api/v1/risk-points/{point_id}/", {"name": "改"}, format="json")
    assert refused.status_code == 403
    assert client.delete(f"/api/v1/risk-points/{point_id}/").status_code == 405


def _by_town(client) -> dict:
    response = client.get(reverse("hazards:risks"))
    assert response.status_code == 200
    return {row["name"]: row["counts"] for row in response.context["by_town"]}


def _by_enterprise(client) -> dict:
    response = client.get(reverse("hazards:risks"))
    return {row["name"]: row["total"] for row in response.context["by_enterprise"]}


def test_kept_summaries_follow_every_write_at_once_and_each_scope(
    client_for, county_officer, town_official, other_town_official, enterprise_manager, county
):
    """The by-town and by-enterprise summaries are kept per scope (ADR 0017): each user
    sees their own scope's counts, and a risk point's save, rescoring or deletion moves
    them on the very next page."""
    red = RiskPointFactory(
        enterprise=county.xdk_chem,
        likelihood=Decimal("10"),
        exposure=Decimal("6"),
        consequence=Decimal("15"),
    )
    RiskPointFactory(
        enterprise=county.ly_chem,
        likelihood=Decimal("3"),
        exposure=Decimal("6"),
        consequence=Decimal("7"),
    )
    officer, town, other = (
        client_for(user) for user in (county_officer, town_official, other_town_official)
    )
    assert _by_town(officer) == {"小渡口镇": [1, 0, 0, 0], "澧阳街道": [0, 0, 1, 0]}
    assert _by_town(town) == {"小渡口镇": [1, 0, 0, 0]}
    assert _by_town(other) == {"澧阳街道": [0, 0, 1, 0]}
    assert _by_enterprise(town) == {county.xdk_chem.name: 1}

    # a new point through the service: every scope that sees it moves, the others do not
    services.save_risk_point(
        actor=enterprise_manager,
        enterprise=county.xdk_build,
        name="塔吊作业",
        hazard_factors="起重伤害",
        likelihood=Decimal("1"),
        exposure=Decimal("1"),
        consequence=Decimal("1"),
        control_measures="持证上岗",
        responsible_person="周经理",
        check_frequency="daily",
    )
    assert _by_town(town) == {"小渡口镇": [1, 0, 0, 1]}
    assert _by_town(officer)["小渡口镇"] == [1, 0, 0, 1]
    assert _by_town(other) == {"澧阳街道": [0, 0, 1, 0]}
    assert _by_enterprise(town) == {county.xdk_chem.name: 1, county.xdk_build.name: 1}

    # rescored: the point changes band
    red.likelihood = Decimal("1")
    red.compute_score()
    red.save()
    assert _by_town(town) == {"小渡口镇": [0, 0, 1, 1]}
    # a risk point is a ledger record: deleting it is refused and nothing moves (ADR 0046)
    from django.db import transaction

    from safetyportal.core.ledger import LedgerDeleteRefused

    with pytest.raises(LedgerDeleteRefused), transaction.atomic():
        red.delete()
    assert _by_town(officer) == {"小渡口镇": [0, 0, 1, 1], "澧阳街道": [0, 0, 1, 0]}
    assert _by_town(town) == {"小渡口镇": [0, 0, 1, 1]}

    # a band edited in bulk (no signal): the bands are part of the key
    RiskBand.objects.filter(code="orange").update(min_score=Decimal("100"))
    assert _by_town(other) == {"澧阳街道": [0, 1, 0, 0]}


def test_kept_summaries_are_read_not_recounted(client_for, town_official, county):
    """A second page with no write in between reads the kept summaries: no aggregate."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RiskPointFactory(enterprise=county.xdk_chem)
    client = client_for(town_official)
    client.get(reverse("hazards:risks"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("hazards:risks")).status_code == 200
    assert not [
        q
        for q in queries.captured_queries
        if "GROUP BY" in q["sql"] and "hazards_riskpoint" in q["sql"]
    ]
