"""Repeat offenders (屡罚不改): decided penalties counted in SQL over the 180- and 365-day
windows, fed to the hazards app's closure flag, shown to officials on the enterprise
file, the county list and the case form's include."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from enforcement.repeat_offenders import (
    flagged_enterprises,
    offender_flag,
    penalty_counts,
    penalty_record,
    repeat_offender_ids,
)
from enterprises.panels import ENTERPRISE_FILE
from hazards.models import HazardClass, HazardStatus
from safetyportal.core.panels import registered
from tests.enforcement.factories import ClosedCaseFactory, days
from tests.factories import EnterpriseFactory
from tests.hazards.factories import HazardFactory

LIST = "/enforcement/repeat-offenders/"
TODAY = days(0)


@pytest.fixture
def penalise(powers, town_official, other_town_official):
    def make(enterprise, *ages: int, **kwargs):
        officer = town_official if enterprise.town.code == "430723102" else other_town_official
        return [
            ClosedCaseFactory(
                enterprise=enterprise,
                item=powers.fine_item,
                created_by=officer,
                decided_on=days(-age),
                **kwargs,
            )
            for age in ages
        ]

    return make


def major_hazard(enterprise):
    return HazardFactory(
        enterprise=enterprise, hazard_class=HazardClass.MAJOR, status=HazardStatus.RECTIFYING
    )


def counts(enterprise, today):
    return penalty_counts([enterprise.pk], today).get(enterprise.pk)


def test_three_within_180_days_flag_at_the_boundary(county, penalise):
    e = county.xdk_build
    penalise(e, 0, 100, 179)
    assert counts(e, TODAY).recent == 3 and counts(e, TODAY).flagged
    # a day later the oldest is 180 days old: out of the window
    later = TODAY + datetime.timedelta(days=1)
    assert counts(e, later).recent == 2 and not counts(e, later).flagged
    assert e.pk in flagged_enterprise_pks(TODAY) and e.pk not in flagged_enterprise_pks(later)


def test_four_within_365_days_flag_at_the_boundary(county, penalise):
    e = county.xdk_build
    penalise(e, 0, 200, 250, 364)
    assert counts(e, TODAY).year == 4 and counts(e, TODAY).recent == 1
    assert counts(e, TODAY).flagged
    later = TODAY + datetime.timedelta(days=1)
    assert counts(e, later).year == 3 and not counts(e, later).flagged


def test_a_warning_counts_and_a_case_without_decision_does_not(county, penalise):
    e = county.xdk_build
    penalise(e, 1, 2, penalty_kind="warning", fine=None)
    undecided = penalise(e, 3)[0]
    undecided.decided_on = None
    undecided.save(update_fields=["decided_on"])
    assert counts(e, TODAY).recent == 2
    penalise(e, 4)
    assert counts(e, TODAY).flagged
    # a decision in the future of `today` does not count
    assert counts(e, days(-3)).recent == 1


def flagged_enterprise_pks(today):
    from enforcement.repeat_offenders import flagged_enterprise_ids

    return {row["enterprise_id"] for row in flagged_enterprise_ids(today)}


def test_the_closure_flag_needs_an_open_major_hazard_too(county, penalise):
    penalise(county.xdk_build, 1, 2, 3)
    penalise(county.ly_build, 1, 2, 3)
    major_hazard(county.xdk_build)
    assert repeat_offender_ids(today=TODAY) == {county.xdk_build.pk}
    assert repeat_offender_ids([county.ly_build.pk], today=TODAY) == set()


def test_repeat_offender_ids_costs_two_queries_however_many_enterprises(
    county, penalise, django_assert_num_queries
):
    for _ in range(15):
        e = EnterpriseFactory(town=county.town, industry=county.industry_b)
        penalise(e, 1, 2, 3)
        major_hazard(e)
    with django_assert_num_queries(2):
        assert len(repeat_offender_ids(today=TODAY)) == 15


# --- visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("county_officer", {"xdk_build", "ly_build"}),
        ("leader", {"xdk_build", "ly_build"}),
        ("town_official", {"xdk_build"}),
        ("other_town_official", {"ly_build"}),
        ("department_official", set()),  # 应急管理局 supervises industry A; both are B
        ("enterprise_manager", set()),
        ("expert", set()),
    ],
)
def test_who_sees_which_flags(persona, sees, request, county, penalise):
    penalise(county.xdk_build, 1, 2, 3)
    penalise(county.ly_build, 1, 2, 3)
    user = request.getfixturevalue(persona)
    names = {
        name
        for name in ("xdk_build", "ly_build")
        if getattr(county, name) in flagged_enterprises(user)
    }
    assert names == sees
    flag = offender_flag(user, county.xdk_build.pk)
    # the enterprise does not see its own flag (a closure input, not a notice to the party)
    assert (flag is not None) == (
        persona
        in (
            "county_officer",
            "leader",
            "town_official",
            "other_town_official",
            "department_official",
        )
    )


@pytest.mark.parametrize("persona", ["enterprise_manager", "expert"])
def test_the_list_is_for_officials_only(persona, request, client_for, county):
    assert client_for(request.getfixturevalue(persona)).get(LIST).status_code == 403


def test_the_list_shows_counts_and_the_closure_proposal(
    county, penalise, county_officer, client_for
):
    penalise(county.xdk_build, 1, 2, 3)
    major_hazard(county.xdk_build)
    penalise(county.ly_build, 1, 100, 200, 300)
    penalise(county.xdk_chem, 1, 2)
    html = client_for(county_officer).get(LIST).content.decode()
    assert "小渡口建筑工程公司" in html and "澧阳建设集团" in html
    assert "小渡口化工有限公司" not in html
    assert "提请关闭" in html
    assert html.count('data-testid="repeat-offender"') == 2


def test_the_list_costs_the_same_queries_with_more_offenders(
    county, penalise, county_officer, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    penalise(county.xdk_build, 1, 2, 3)
    client.get(LIST)
    with django_assert_max_num_queries(30) as small:
        assert client.get(LIST).status_code == 200
    for _ in range(12):
        e = EnterpriseFactory(town=county.town, industry=county.industry_b)
        penalise(e, 1, 2, 3)
        major_hazard(e)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("url", [LIST, "/api/v1/repeat-offenders/"])
def test_the_list_aggregates_the_year_of_penalties_once(
    county, penalise, county_officer, client_for, url
):
    """The count, the page and the figures shown read one aggregate; the closure proposal
    reads only the page's enterprises' penalties (no second aggregate of the county)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    penalise(county.xdk_build, 1, 2, 3)
    major_hazard(county.xdk_build)
    penalise(county.ly_build, 1, 100, 200, 300)
    client = client_for(county_officer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    grouped = [
        q["sql"]
        for q in ctx.captured_queries
        if "enforcement_case" in q["sql"] and "GROUP BY" in q["sql"]
    ]
    assert len(grouped) == 1


# --- the enterprise file and the case form's include -------------------------------------------


def test_the_panel_is_registered_on_the_enterprise_file():
    assert "enforcement.enterprise_penalties" in {p.key for p in registered(ENTERPRISE_FILE)}


def test_the_enterprise_file_shows_the_flag_and_the_records_behind_it(
    county, penalise, town_official, enterprise_manager, client_for
):
    cases = penalise(county.xdk_build, 1, 2, 3)
    cases[0].penalty_kind, cases[0].fine = "warning", None
    cases[0].save(update_fields=["penalty_kind", "fine"])
    url = reverse("enterprises:detail", args=[county.xdk_build.pk])
    html = client_for(town_official).get(url).content.decode()
    assert 'data-testid="repeat-offender-flag"' in html
    for case in cases:
        assert case.decision_number in html
    assert "罚款 500 元" in html and "警告" in html
    # the enterprise itself sees its file without the flag
    own = client_for(enterprise_manager).get(url).content.decode()
    assert 'data-testid="repeat-offender-flag"' not in own


def test_the_enterprise_file_costs_the_same_queries_with_more_penalties(
    county, penalise, town_official, client_for, django_assert_max_num_queries
):
    client = client_for(town_official)
    url = reverse("enterprises:detail", args=[county.xdk_build.pk])
    penalise(county.xdk_build, 1)
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        assert client.get(url).status_code == 200
    penalise(county.xdk_build, *range(2, 30))
    major_hazard(county.xdk_build)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        # + the closure check (the candidates' penalties, their major hazards), made only
        # once the enterprise is over a threshold
        assert client.get(url).status_code == 200


def test_the_case_form_include_renders_the_flag(county, penalise, town_official):
    penalise(county.xdk_build, 1, 2, 3)
    html = render_to_string(
        "enforcement/_repeat_offender_flag.html",
        {"flag": offender_flag(town_official, county.xdk_build.pk)},
    )
    assert "屡罚不改" in html and "180 日内受到行政处罚 3 次" in html
    assert render_to_string("enforcement/_repeat_offender_flag.html", {"flag": None}).strip() == ""
    assert penalty_record(town_official, county.ly_build.pk) is None


def test_the_api_lists_repeat_offenders_with_their_counts(
    county, penalise, county_officer, enterprise_manager, api_client_for
):
    penalise(county.xdk_build, 1, 2, 3)
    major_hazard(county.xdk_build)
    data = api_client_for(county_officer).get("/api/v1/repeat-offenders/").json()
    assert data["results"] == [
        {
            "enterprise": county.xdk_build.pk,
            "name": "小渡口建筑工程公司",
            "town": "小渡口镇",
            "penalties_180_days": 3,
            "penalties_365_days": 3,
            "closure_proposal": True,
        }
    ]
    response = api_client_for(enterprise_manager).get("/api/v1/repeat-offenders/")
    assert response.status_code == 403 and "屡罚不改" in response.json()["detail"]
