"""Inspection plans (分季到月), progress against plan, 一对一包联 and their API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from enforcement.plans import services
from enforcement.plans.models import GuidanceVisit, InspectionPlan, PlanTarget, TownPairing
from safetyportal.audit.models import AuditEvent
from tests.enforcement.factories import (
    GuidanceVisitFactory,
    InspectionPlanFactory,
    PlanTargetFactory,
    TownPairingFactory,
)
from tests.factories import DepartmentUserFactory, EnterpriseFactory, TownUserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
MONTH = timezone.localdate().month


@pytest.fixture
def plan(county, town_official):
    return InspectionPlanFactory(unit=county.town, created_by=town_official)


@pytest.fixture
def target(plan, county, town_official):
    return PlanTargetFactory(
        plan=plan, enterprise=county.xdk_chem, month=MONTH, assigned_to=town_official
    )


@pytest.fixture
def pairing(county, department_official):
    return TownPairingFactory(chief=department_official, town=county.town)


def _add(client, plan, **overrides):
    data = {"month": 5, "kind": "key", **overrides}
    data.setdefault("enterprises", [])
    return client.post(f"/enforcement/plans/{plan.pk}/targets/", data)


# --- services for the inspections area ---------------------------------------------------


def test_mark_target_done_is_idempotent_and_keeps_the_earliest_date(target):
    day = timezone.localdate()
    assert services.mark_target_done(target_id=target.pk, day=day)
    assert not services.mark_target_done(target_id=target.pk, day=day)
    later = day.replace(day=1) if day.day > 1 else day
    services.mark_target_done(target_id=target.pk, day=later)
    earlier = later - __import__("datetime").timedelta(days=3)
    assert services.mark_target_done(target_id=target.pk, day=earlier)
    services.mark_target_done(target_id=target.pk, day=day)
    target.refresh_from_db()
    assert target.done_on == earlier


def test_open_targets_for_offers_the_units_open_targets_only(
    target, county, town_official, other_town_official, plan
):
    done = PlanTargetFactory(
        plan=plan,
        enterprise=county.xdk_chem,
        month=1 if MONTH != 1 else 2,
        assigned_to=town_official,
        done_on=timezone.localdate(),
    )
    assert list(services.open_targets_for(town_official, county.xdk_chem.pk)) == [target]
    assert done not in services.open_targets_for(town_official, county.xdk_chem.pk)
    assert not services.open_targets_for(other_town_official, county.xdk_chem.pk).exists()


# --- creating plans ----------------------------------------------------------------------


def test_town_official_creates_the_units_plan(client, town_official, county):
    client.force_login(town_official)
    response = client.post("/enforcement/plans/new/", {"year": YEAR})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and plan.unit == county.town
    assert AuditEvent.objects.filter(verb="plan.created").count() == 1


def test_duplicate_plan_for_a_year_is_refused_with_a_reason(client, town_official, plan):
    client.force_login(town_official)
    response = client.post("/enforcement/plans/new/", {"year": plan.year}, follow=True)
    assert "年度的检查计划已经制定" in response.content.decode()
    assert InspectionPlan.objects.count() == 1


@pytest.mark.parametrize("who", ["county_officer", "leader", "enterprise_manager", "expert"])
def test_only_unit_officials_create_plans(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post("/enforcement/plans/new/", {"year": YEAR}).status_code == 403
    assert not InspectionPlan.objects.exists()


def test_plan_create_refuses_get(client, town_official):
    client.force_login(town_official)
    assert client.get("/enforcement/plans/new/").status_code == 405


# --- targets -----------------------------------------------------------------------------


def test_bulk_add_plans_several_enterprises_in_a_month(client, town_official, plan, county):
    other = EnterpriseFactory(town=county.town, industry=county.industry_b)
    client.force_login(town_official)
    response = _add(
        client, plan, enterprises=[county.xdk_chem.pk, other.pk], assigned_to=town_official.pk
    )
    assert response.status_code == 302
    assert set(plan.targets.values_list("enterprise_id", "month")) == {
        (county.xdk_chem.pk, 5),
        (other.pk, 5),
    }
    assert AuditEvent.objects.filter(verb="plan.targets_added").count() == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"month": 13}, "计划月份应为 1 至 12 月"),
        ({"enterprises": "ly"}, "不在本单位的监管范围内"),
        ({"assigned_to": "other"}, "包保人员必须是本单位的在岗执法人员"),
    ],
)
def test_bad_target_input_is_refused_and_changes_nothing(
    client, town_official, other_town_official, plan, county, bad, message
):
    data = {"enterprises": [county.xdk_chem.pk], "assigned_to": town_official.pk, **bad}
    if bad.get("enterprises") == "ly":
        data["enterprises"] = [county.ly_chem.pk]
    if bad.get("assigned_to") == "other":
        data["assigned_to"] = other_town_official.pk
    client.force_login(town_official)
    response = _add(client, plan, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanTarget.objects.exists()


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"month": 13}, "计划月份应为 1 至 12 月"),
        ({"enterprise": "ly"}, "不在本单位的监管范围内"),
        ({"assigned_to": "other"}, "包保人员必须是本单位的在岗执法人员"),
    ],
)
def test_service_refuses_bad_input_too(
    town_official, other_town_official, plan, county, bad, message
):
    from django.core.exceptions import ValidationError

    kwargs = {
        "enterprise_ids": [county.ly_chem.pk if bad.get("enterprise") else county.xdk_chem.pk],
        "month": bad.get("month", 3),
        "kind": "area",
        "assigned_to_id": other_town_official.pk if bad.get("assigned_to") else town_official.pk,
    }
    with pytest.raises(ValidationError, match=message):
        services.add_targets(actor=town_official, plan_id=plan.pk, **kwargs)
    assert not PlanTarget.objects.exists()


def test_department_plans_enterprises_of_its_industries_only(department_official, county):
    plan = services.create_plan(actor=department_official, year=YEAR)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.add_targets(
            actor=department_official,
            plan_id=plan.pk,
            enterprise_ids=[county.xdk_build.pk],
            month=2,
            kind="area",
            assigned_to_id=department_official.pk,
        )
    added = services.add_targets(
        actor=department_official,
        plan_id=plan.pk,
        enterprise_ids=[county.xdk_chem.pk, county.ly_chem.pk],
        month=2,
        kind="area",
        assigned_to_id=department_official.pk,
    )
    assert len(added) == 2


def test_other_units_cannot_add_to_a_plan(
    client, other_town_official, county_officer, plan, county
):
    for user in (other_town_official, county_officer):
        client.force_login(user)
        response = _add(client, plan, enterprises=[county.xdk_chem.pk], assigned_to=user.pk)
        assert response.status_code in (403, 404)
    assert not PlanTarget.objects.exists()


def test_target_add_page_searches_the_units_enterprises_and_refuses_put(
    client, town_official, other_town_official, plan
):
    client.force_login(town_official)
    page = client.get(f"/enforcement/plans/{plan.pk}/targets/?q=化工").content.decode()
    assert "小渡口化工有限公司" in page and "小渡口建筑工程公司" not in page
    assert "澧阳化工有限公司" not in page
    assert client.put(f"/enforcement/plans/{plan.pk}/targets/").status_code == 405
    client.force_login(other_town_official)
    assert client.get(f"/enforcement/plans/{plan.pk}/targets/").status_code == 404


def test_edit_and_delete_a_target_while_not_done(client, town_official, target):
    client.force_login(town_official)
    url = f"/enforcement/plans/targets/{target.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"month": 11, "kind": "key", "assigned_to": town_official.pk})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.month, target.kind) == (11, "key")
    assert client.get(f"/enforcement/plans/targets/{target.pk}/delete/").status_code == 405
    assert client.post(f"/enforcement/plans/targets/{target.pk}/delete/").status_code == 302
    assert not PlanTarget.objects.exists()
    assert AuditEvent.objects.filter(verb="plan.target_removed").count() == 1


def test_a_done_target_cannot_be_changed_or_deleted(client, town_official, target):
    target.done_on = timezone.localdate()
    target.save()
    client.force_login(town_official)
    response = client.post(f"/enforcement/plans/targets/{target.pk}/delete/", follow=True)
    assert "完成检查，不能再修改或删除" in response.content.decode()
    response = client.post(
        f"/enforcement/plans/targets/{target.pk}/edit/",
        {"month": 11, "kind": "key", "assigned_to": town_official.pk},
    )
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.month == MONTH and PlanTarget.objects.count() == 1


def test_other_units_cannot_edit_or_delete_targets(client, other_town_official, leader, target):
    for user in (other_town_official, leader):
        client.force_login(user)
        assert client.post(f"/enforcement/plans/targets/{target.pk}/delete/").status_code in (
            403,
            404,
        )
        response = client.post(
            f"/enforcement/plans/targets/{target.pk}/edit/",
            {"month": 11, "kind": "key", "assigned_to": user.pk},
        )
        assert response.status_code in (403, 404)
    target.refresh_from_db()
    assert target.month == MONTH


# --- visibility and progress ---------------------------------------------------------------


@pytest.mark.parametrize(
    "who, sees",
    [
        ("county_officer", True),
        ("leader", True),
        ("town_official", True),
        ("other_town_official", False),
        ("department_official", False),
        ("enterprise_manager", None),
        ("expert", None),
    ],
)
def test_each_role_sees_the_plans_it_should(client, request, target, who, sees):
    client.force_login(request.getfixturevalue(who))
    progress = client.get("/enforcement/plans/")
    detail = client.get(f"/enforcement/plans/{target.plan_id}/")
    api = client.get("/api/v1/enforcement/plans/")
    if sees is None:
        assert progress.status_code == 403 and detail.status_code == 404
        assert api.json()["count"] == 0
        return
    assert progress.status_code == 200
    assert detail.status_code == (200 if sees else 404)
    assert api.json()["count"] == (1 if sees else 0)


def test_progress_counts_done_due_and_overdue_in_sql(
    client, county_officer, plan, county, town_official
):
    past = max(MONTH - 1, 1)
    PlanTargetFactory(plan=plan, enterprise=county.xdk_chem, month=MONTH, assigned_to=town_official)
    PlanTargetFactory(
        plan=plan,
        enterprise=county.xdk_build,
        month=MONTH,
        assigned_to=town_official,
        done_on=timezone.localdate(),
    )
    if MONTH > 1:
        PlanTargetFactory(
            plan=plan, enterprise=county.xdk_chem, month=past, assigned_to=town_official
        )
    client.force_login(county_officer)
    row = client.get("/api/v1/enforcement/plans/").json()["results"][0]
    assert (row["planned"], row["done"], row["due"]) == (3 if MONTH > 1 else 2, 1, 1)
    assert row["overdue"] == (1 if MONTH > 1 else 0)
    page = client.get("/enforcement/plans/?sort=-rate")
    assert page.status_code == 200 and "小渡口镇" in page.content.decode()


def test_plan_page_filters_targets_by_state_and_quarter(client, town_official, target):
    client.force_login(town_official)
    client.defaults["HTTP_HX_REQUEST"] = "true"  # the targets table alone
    q = (MONTH - 1) // 3 + 1
    assert (
        "小渡口化工"
        in client.get(
            f"/enforcement/plans/{target.plan_id}/?quarter={q}&state=due"
        ).content.decode()
    )
    assert (
        "小渡口化工"
        not in client.get(f"/enforcement/plans/{target.plan_id}/?state=done").content.decode()
    )


def _grow_plan(plan, county, user, n):
    enterprises = [
        EnterpriseFactory(town=county.town, industry=county.industry_a) for _ in range(n)
    ]
    PlanTarget.objects.bulk_create(
        PlanTarget(plan=plan, enterprise=e, month=1 + i % 12, assigned_to=user)
        for i, e in enumerate(enterprises)
    )
    from enforcement.plans.selectors import touch_progress

    touch_progress()  # bulk_create sends no signal (as the scale generator's COPY)


def test_plan_pages_cost_the_same_queries_with_many_rows(
    client, town_official, county_officer, plan, county, django_assert_max_num_queries
):
    def measure(user, url):
        client.force_login(user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [
        (town_official, f"/enforcement/plans/{plan.pk}/"),
        (town_official, f"/enforcement/plans/{plan.pk}/targets/"),
        (county_officer, "/enforcement/plans/"),
        (county_officer, "/api/v1/enforcement/plans/"),
        (county_officer, f"/api/v1/enforcement/plans/{plan.pk}/"),
        (county_officer, "/api/v1/enforcement/plan-targets/"),
    ]
    _grow_plan(plan, county, town_official, 10)
    few = [measure(u, url) for u, url in urls]
    _grow_plan(plan, county, town_official, 60)
    many = [measure(u, url) for u, url in urls]
    assert few == many


def test_api_plans_aggregate_the_targets_once_for_the_page(
    client, county_officer, plan, county, town_official
):
    """The list's count reads plans only; the targets are grouped once, for the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow_plan(plan, county, town_official, 5)
    client.force_login(county_officer)
    with CaptureQueriesContext(connection) as ctx:
        data = client.get(f"/api/v1/enforcement/plans/?year={plan.year}").json()
    assert data["count"] == 1 and data["results"][0]["planned"] == 5
    targets = [q["sql"] for q in ctx.captured_queries if "enforcement_plantarget" in q["sql"]]
    assert len(targets) == 1
    # a plan without targets: zeros and no rate
    empty = InspectionPlanFactory(unit=county.other_town, created_by=county_officer)
    rows = client.get(f"/api/v1/enforcement/plans/?year={empty.year}").json()["results"]
    row = next(r for r in rows if r["id"] == empty.pk)
    assert (row["planned"], row["done"], row["rate"]) == (0, 0, None)


def test_kept_progress_follows_targets_added_done_and_removed(
    client, county_officer, plan, county, town_official
):
    """The progress figures are kept (ADR 0017): a bulk_create of targets, a target done
    (a QuerySet.update) and a target removed each show on the next read, page and API."""
    client.force_login(county_officer)

    def figures():
        row = next(r for r in client.get("/enforcement/plans/").context["rows"] if r.plan_id)
        api = client.get("/api/v1/enforcement/plans/").json()["results"][0]
        assert (api["planned"], api["done"]) == (row.planned, row.done)
        return row.planned, row.done

    assert figures() == (0, 0)
    services.add_targets(
        actor=town_official,
        plan_id=plan.pk,
        enterprise_ids=[county.xdk_chem.pk, county.xdk_build.pk],
        month=MONTH,
        kind="key",
        assigned_to_id=town_official.pk,
    )
    assert figures() == (2, 0)
    first = PlanTarget.objects.filter(plan=plan).order_by("pk").first()
    assert services.mark_target_done(target_id=first.pk, day=timezone.localdate())
    assert figures() == (2, 1)
    last = PlanTarget.objects.filter(plan=plan).order_by("pk").last()
    services.remove_target(actor=town_official, target_id=last.pk)
    assert figures() == (1, 1)


# --- API targets -------------------------------------------------------------------------


def test_api_creates_and_deletes_a_target_for_the_unit(client, town_official, plan, county):
    client.force_login(town_official)
    data = {
        "plan": plan.pk,
        "enterprise": county.xdk_chem.pk,
        "month": 4,
        "kind": "key",
        "assigned_to": town_official.pk,
    }
    response = client.post(
        "/api/v1/enforcement/plan-targets/", data, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.delete(f"/api/v1/enforcement/plan-targets/{pk}/").status_code == 204
    assert not PlanTarget.objects.exists()


def test_api_refuses_month_13_in_chinese(client, town_official, plan, county):
    client.force_login(town_official)
    data = {
        "plan": plan.pk,
        "enterprise": county.xdk_chem.pk,
        "month": 13,
        "kind": "key",
        "assigned_to": town_official.pk,
    }
    response = client.post(
        "/api/v1/enforcement/plan-targets/", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert "计划月份应为 1 至 12 月" in response.content.decode()
    assert not PlanTarget.objects.exists()


def test_api_refuses_targets_from_another_unit(
    client, other_town_official, leader, plan, county, target
):
    data = {
        "plan": plan.pk,
        "enterprise": county.xdk_build.pk,
        "month": 4,
        "kind": "key",
        "assigned_to": other_town_official.pk,
    }
    for user in (other_town_official, leader):
        client.force_login(user)
        response = client.post(
            "/api/v1/enforcement/plan-targets/", data, content_type="application/json"
        )
        # a plan out of the caller's scope named in the body is a 400 on that field (ADR 0044)
        assert response.status_code in (400, 403, 404)
        assert client.delete(f"/api/v1/enforcement/plan-targets/{target.pk}/").status_code in (
            403,
            404,
        )
    assert PlanTarget.objects.count() == 1


def test_api_targets_refuse_put(client, town_official, target):
    client.force_login(town_official)
    response = client.put(
        f"/api/v1/enforcement/plan-targets/{target.pk}/", {}, content_type="application/json"
    )
    assert response.status_code == 405


# --- 一对一包联 ---------------------------------------------------------------------------


def test_county_office_pairs_a_chief_with_a_town(
    client, county_officer, department_official, county
):
    client.force_login(county_officer)
    data = {"year": YEAR, "town": county.town.pk, "chief": department_official.pk, "note": ""}
    assert client.post("/enforcement/pairings/new/", data).status_code == 302
    response = client.post("/enforcement/pairings/new/", data)
    assert response.status_code == 400 and "已有包联负责人" in response.content.decode()
    assert TownPairing.objects.count() == 1
    assert client.get("/enforcement/pairings/new/").status_code == 405


def test_pairing_chief_must_be_a_department_official(client, county_officer, town_official, county):
    client.force_login(county_officer)
    data = {"year": YEAR, "town": county.town.pk, "chief": town_official.pk}
    response = client.post("/enforcement/pairings/new/", data)
    assert (
        response.status_code == 400
        and "包联负责人必须是县直部门的在岗人员" in response.content.decode()
    )
    assert not TownPairing.objects.exists()


@pytest.mark.parametrize("who", ["leader", "town_official", "department_official", "expert"])
def test_only_the_county_office_keeps_pairings(
    client, request, who, county, department_official, pairing
):
    client.force_login(request.getfixturevalue(who))
    data = {"year": YEAR, "town": county.other_town.pk, "chief": department_official.pk}
    assert client.post("/enforcement/pairings/new/", data).status_code == 403
    assert client.post(f"/enforcement/pairings/{pairing.pk}/delete/").status_code == 403
    assert (
        client.post(
            f"/enforcement/pairings/{pairing.pk}/edit/", {"chief": department_official.pk}
        ).status_code
        == 403
    )
    assert TownPairing.objects.count() == 1


def test_county_office_edits_and_deletes_a_pairing_without_visits(
    client, county_officer, pairing, county
):
    other_chief = DepartmentUserFactory(organisation=county.department)
    client.force_login(county_officer)
    assert client.get(f"/enforcement/pairings/{pairing.pk}/edit/").status_code == 200
    response = client.post(
        f"/enforcement/pairings/{pairing.pk}/edit/", {"chief": other_chief.pk, "note": "换人"}
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.chief == other_chief
    assert client.get(f"/enforcement/pairings/{pairing.pk}/delete/").status_code == 405
    GuidanceVisitFactory(pairing=pairing)
    response = client.post(f"/enforcement/pairings/{pairing.pk}/delete/", follow=True)
    assert "已有指导记录，不能删除" in response.content.decode()
    assert TownPairing.objects.count() == 1


def test_the_chief_records_a_visit(client, department_official, pairing):
    client.force_login(department_official)
    url = f"/enforcement/pairings/{pairing.pk}/visits/"
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "content": "督导检查计划",
        "issues_found": "进度慢",
    }
    assert client.post(url, data).status_code == 302
    assert GuidanceVisit.objects.get().recorded_by == department_official
    assert client.get(url).status_code == 405


def test_a_visit_in_the_future_or_without_content_is_refused(client, department_official, pairing):
    client.force_login(department_official)
    url = f"/enforcement/pairings/{pairing.pk}/visits/"
    future = (timezone.localdate() + __import__("datetime").timedelta(days=3)).isoformat()
    assert client.post(url, {"visited_on": future, "content": "x"}).status_code == 400
    assert (
        client.post(
            url, {"visited_on": timezone.localdate().isoformat(), "content": ""}
        ).status_code
        == 400
    )
    assert not GuidanceVisit.objects.exists()


@pytest.mark.parametrize("who", ["county_officer", "town_official", "leader"])
def test_others_cannot_record_visits(client, request, who, pairing):
    client.force_login(request.getfixturevalue(who))
    data = {"visited_on": timezone.localdate().isoformat(), "content": "督导"}
    assert client.post(f"/enforcement/pairings/{pairing.pk}/visits/", data).status_code == 403
    response = client.post(
        "/api/v1/enforcement/guidance-visits/",
        {"pairing": pairing.pk, **data},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not GuidanceVisit.objects.exists()


@pytest.mark.parametrize(
    "who, sees",
    [
        ("county_officer", True),
        ("leader", True),
        ("town_official", True),
        ("department_official", True),
        ("other_town_official", False),
        ("enterprise_manager", None),
        ("expert", None),
    ],
)
def test_each_role_sees_the_pairings_it_should(client, request, pairing, who, sees):
    GuidanceVisitFactory(pairing=pairing)
    client.force_login(request.getfixturevalue(who))
    listing = client.get(f"/enforcement/pairings/?year={pairing.year}")
    detail = client.get(f"/enforcement/pairings/{pairing.pk}/")
    visits = client.get("/api/v1/enforcement/guidance-visits/").json()["count"]
    pairings = client.get("/api/v1/enforcement/pairings/").json()["count"]
    if sees is None:
        assert listing.status_code == 403 and detail.status_code == 404
        assert visits == pairings == 0
        return
    assert listing.status_code == 200
    assert detail.status_code == (200 if sees else 404)
    assert visits == pairings == (1 if sees else 0)


def test_api_chief_creates_a_visit(client, department_official, pairing):
    client.force_login(department_official)
    data = {
        "pairing": pairing.pk,
        "visited_on": timezone.localdate().isoformat(),
        "content": "督导",
    }
    response = client.post(
        "/api/v1/enforcement/guidance-visits/", data, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_pairing_pages_cost_the_same_queries_with_many_rows(
    client, county_officer, county, pairing
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        counts = []
        for url in (
            f"/enforcement/pairings/?year={pairing.year}",
            f"/enforcement/pairings/{pairing.pk}/",
            "/api/v1/enforcement/pairings/",
            "/api/v1/enforcement/guidance-visits/",
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx))
        return counts

    client.force_login(county_officer)
    GuidanceVisitFactory.create_batch(3, pairing=pairing)
    few = measure()
    TownPairingFactory(
        chief=DepartmentUserFactory(organisation=county.department), town=county.other_town
    )
    GuidanceVisitFactory.create_batch(30, pairing=pairing)
    assert measure() == few


def test_town_users_are_not_chiefs(county, county_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_pairing(
            actor=county_officer,
            year=YEAR,
            chief_id=TownUserFactory(organisation=county.town).pk,
            town_id=county.town.pk,
        )
    assert not TownPairing.objects.exists()


def test_the_demo_plans_respect_the_rules_and_load_twice(
    county, town_official, other_town_official
):
    import io

    from enforcement.plans.demo import load_plans_demo

    load_plans_demo(io.StringIO())
    load_plans_demo(io.StringIO())
    assert InspectionPlan.objects.filter(year=YEAR).count() == 2
    today = timezone.localdate()
    for target in PlanTarget.objects.select_related("plan", "enterprise"):
        assert target.enterprise.town_id == target.plan.unit_id
        assert target.done_on is None or target.done_on <= today
        assert target.assigned_to.organisation_id == target.plan.unit_id
