"""The exposure board (曝光台): the county office publishes closed cases as snapshots; the
public page reads only the snapshots; withdrawal takes a case off at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from enforcement.exposure.models import ExposedCase
from enforcement.exposure.services import publish_case, withdraw_case
from safetyportal.audit.models import AuditEvent
from tests.enforcement.factories import ClosedCaseFactory, days

PUBLIC = "/enforcement/exposure/"
MANAGE = "/enforcement/exposure/manage/"


def publish_url(case) -> str:
    return f"/enforcement/exposure/manage/publish/{case.pk}/"


def withdraw_url(exposure) -> str:
    return f"/enforcement/exposure/manage/{exposure.pk}/withdraw/"


@pytest.fixture
def closed(county, powers, town_official):
    return ClosedCaseFactory(
        enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
    )


@pytest.fixture
def person_case(county, powers, town_official):
    return ClosedCaseFactory(
        enterprise=None,
        unit=county.town,
        town=county.town,
        item=powers.fine_item,
        party_kind="person",
        party_name="张三丰",
        fine=Decimal("200"),
        created_by=town_official,
    )


# --- the service ----------------------------------------------------------------------------


def test_publishing_copies_a_snapshot_of_what_is_public(county_officer, closed, county, powers):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    assert exposure.party_name == "小渡口建筑工程公司"
    assert exposure.item_name == powers.fine_item.name
    assert exposure.fine == Decimal("500")
    assert exposure.decision_number == closed.decision_number
    assert exposure.decided_on == closed.decided_on
    assert exposure.town_name == "小渡口镇"
    # a town acts in the name of the delegating department (rules.issuing_authority)
    assert exposure.authority == "应急管理局（委托小渡口镇实施）"
    assert exposure.published_by == county_officer
    event = AuditEvent.objects.get(verb="enforcement.case_published")
    assert event.target_id == closed.pk and event.actor == county_officer


def test_a_person_is_published_with_the_family_name_only(county_officer, person_case):
    exposure = publish_case(actor=county_officer, case_id=person_case.pk)
    assert exposure.party_name == "张**"


def test_an_open_case_is_refused_in_chinese_and_nothing_is_written(county_officer, closed):
    closed.status = "decided"
    closed.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="尚未结案"):
        publish_case(actor=county_officer, case_id=closed.pk)
    assert not ExposedCase.objects.exists() and not AuditEvent.objects.exists()


def test_a_case_without_a_decision_is_refused(county_officer, closed):
    closed.decision_number = ""
    closed.save(update_fields=["decision_number"])
    with pytest.raises(ValidationError, match="没有处罚决定书"):
        publish_case(actor=county_officer, case_id=closed.pk)
    assert not ExposedCase.objects.exists()


def test_publishing_twice_is_refused(county_officer, closed):
    first = publish_case(actor=county_officer, case_id=closed.pk)
    with pytest.raises(ValidationError, match="不能重复公开"):
        publish_case(actor=county_officer, case_id=closed.pk)
    assert ExposedCase.objects.get() == first
    assert AuditEvent.objects.filter(verb="enforcement.case_published").count() == 1


def test_only_the_county_office_publishes(town_official, leader, closed):
    for user in (town_official, leader):
        with pytest.raises(PermissionDenied):
            publish_case(actor=user, case_id=closed.pk)
    assert not ExposedCase.objects.exists()


def test_withdrawal_keeps_the_record_and_needs_a_reason(county_officer, closed):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    with pytest.raises(ValidationError, match="撤回原因"):
        withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="  ")
    withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="处罚决定已被依法撤销")
    exposure.refresh_from_db()
    assert exposure.withdrawn_at and exposure.withdrawn_by == county_officer
    assert exposure.published_by == county_officer  # the publication is still on record
    with pytest.raises(ValidationError, match="不能重复撤回"):
        withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="再次")
    assert AuditEvent.objects.filter(verb="enforcement.case_withdrawn").count() == 1
    # a withdrawn case may be published again, with a fresh snapshot
    again = publish_case(actor=county_officer, case_id=closed.pk)
    assert again.pk == exposure.pk and again.is_public


# --- the public pages -------------------------------------------------------------------------


def test_the_public_page_needs_no_login_and_shows_only_the_snapshot(
    county_officer, closed, person_case, town_official
):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    unpublished = ClosedCaseFactory(
        enterprise=closed.enterprise, item=closed.item, created_by=town_official
    )
    client = Client()
    response = client.get(PUBLIC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "小渡口建筑工程公司" in html and closed.decision_number in html
    assert "罚款 500 元" in html
    # no officer, no unpublished case, no case id
    for secret in (
        town_official.display_name,
        county_officer.display_name,
        unpublished.decision_number,
        "张三丰",
        f"/cases/{closed.pk}/",
    ):
        assert secret not in html
    detail = client.get(f"{PUBLIC}{exposure.pk}/")
    assert detail.status_code == 200
    assert "应急管理局（委托小渡口镇实施）" in detail.content.decode()
    assert town_official.display_name not in detail.content.decode()


def test_unpublished_and_withdrawn_cases_are_404_publicly(county_officer, closed, person_case):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    client = Client()
    assert client.get(f"{PUBLIC}{exposure.pk + 1000}/").status_code == 404
    withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="处罚决定已被撤销")
    assert client.get(f"{PUBLIC}{exposure.pk}/").status_code == 404
    assert closed.decision_number not in client.get(PUBLIC).content.decode()


def test_the_public_page_searches_by_name_and_filters_by_year_and_town(
    county, powers, county_officer, town_official, other_town_official
):
    xdk = ClosedCaseFactory(
        enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
    )
    ly = ClosedCaseFactory(
        enterprise=county.ly_build, item=powers.fine_item, created_by=other_town_official
    )
    for case in (xdk, ly):
        publish_case(actor=county_officer, case_id=case.pk)
    client = Client()

    def shown(query: str) -> set[str]:
        html = client.get(PUBLIC + query).content.decode()
        return {c.decision_number for c in (xdk, ly) if c.decision_number in html}

    assert shown("") == {xdk.decision_number, ly.decision_number}
    assert shown("?q=澧阳") == {ly.decision_number}
    assert shown(f"?town={county.town.pk}") == {xdk.decision_number}
    assert shown(f"?year={days(-10).year}") == {xdk.decision_number, ly.decision_number}
    assert shown(f"?year={days(-10).year - 1}") == set()
    assert shown("?year=abc") == {xdk.decision_number, ly.decision_number}


def test_the_login_page_links_to_the_public_board(db):
    html = Client().get("/accounts/login/").content.decode()
    assert PUBLIC in html


def test_the_public_list_costs_the_same_queries_with_more_cases(
    county, powers, county_officer, town_official, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            case = ClosedCaseFactory(
                enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
            )
            publish_case(actor=county_officer, case_id=case.pk)

    client = Client()
    add(1)
    client.get(PUBLIC)
    with django_assert_num_queries(5) as small:
        assert client.get(PUBLIC).status_code == 200
    add(30)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(PUBLIC).status_code == 200


# --- the management page and its endpoints ----------------------------------------------------


def test_manage_page_lists_candidates_published_and_withdrawn(
    county_officer, client_for, closed, person_case
):
    client = client_for(county_officer)
    html = client.get(MANAGE).content.decode()
    assert closed.decision_number in html and person_case.decision_number in html
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    assert closed.decision_number not in client.get(MANAGE).content.decode()
    assert closed.decision_number in client.get(MANAGE + "?show=published").content.decode()
    withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="已撤销")
    assert "已撤销" in client.get(MANAGE + "?show=withdrawn").content.decode()
    # withdrawn: a candidate again
    assert closed.decision_number in client.get(MANAGE).content.decode()


@pytest.mark.parametrize(
    "persona", ["leader", "town_official", "department_official", "enterprise_manager", "expert"]
)
def test_manage_page_is_the_county_offices_only(persona, request, client_for, county):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(MANAGE).status_code == 403


def test_manage_page_costs_the_same_queries(
    county, powers, county_officer, town_official, client_for, django_assert_max_num_queries
):
    def seed(n):
        for _ in range(n):
            for kind in ("candidate", "published", "withdrawn"):
                case = ClosedCaseFactory(
                    enterprise=county.xdk_build, item=powers.fine_item, created_by=town_official
                )
                if kind != "candidate":
                    exposure = publish_case(actor=county_officer, case_id=case.pk)
                if kind == "withdrawn":
                    withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="撤销")

    client = client_for(county_officer)
    seed(1)
    client.get(MANAGE)
    small = {}
    for show in ("candidates", "published", "withdrawn"):
        with django_assert_max_num_queries(30) as queries:
            assert client.get(f"{MANAGE}?show={show}").status_code == 200
        small[show] = len(queries.captured_queries)
    seed(10)
    for show in ("candidates", "published", "withdrawn"):
        with django_assert_max_num_queries(small[show]):
            assert client.get(f"{MANAGE}?show={show}").status_code == 200


def test_publish_endpoint_allowed(county_officer, client_for, closed):
    response = client_for(county_officer).post(publish_url(closed))
    assert response.status_code == 302
    assert ExposedCase.objects.public().get().case == closed


@pytest.mark.parametrize(
    "persona", ["leader", "town_official", "department_official", "enterprise_manager"]
)
def test_publish_endpoint_forbidden(persona, request, client_for, closed):
    response = client_for(request.getfixturevalue(persona)).post(publish_url(closed))
    assert response.status_code == 403
    assert not ExposedCase.objects.exists()


def test_publish_endpoint_anonymous_goes_to_login(closed):
    response = Client().post(publish_url(closed))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ExposedCase.objects.exists()


def test_publish_endpoint_wrong_method(county_officer, client_for, closed):
    assert client_for(county_officer).get(publish_url(closed)).status_code == 405
    assert not ExposedCase.objects.exists()


def test_publish_endpoint_refuses_an_open_case_and_a_second_publication(
    county_officer, client_for, closed
):
    client = client_for(county_officer)
    closed.status = "executed"
    closed.save(update_fields=["status"])
    response = client.post(publish_url(closed), follow=True)
    assert "尚未结案" in response.content.decode()
    assert not ExposedCase.objects.exists()
    closed.status = "closed"
    closed.save(update_fields=["status"])
    client.post(publish_url(closed))
    response = client.post(publish_url(closed), follow=True)
    assert "不能重复公开" in response.content.decode()
    assert ExposedCase.objects.count() == 1
    assert client.post("/enforcement/exposure/manage/publish/999999/").status_code == 302
    assert ExposedCase.objects.count() == 1


def test_withdraw_endpoint(county_officer, town_official, client_for, closed):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    url = withdraw_url(exposure)
    assert client_for(town_official).post(url, {"reason": "x"}).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    response = client_for(county_officer).post(url, {"reason": ""}, follow=True)
    assert "请填写撤回原因" in response.content.decode()
    exposure.refresh_from_db()
    assert exposure.is_public
    assert client_for(county_officer).post(url, {"reason": "处罚决定已被撤销"}).status_code == 302
    exposure.refresh_from_db()
    assert not exposure.is_public
    assert not ExposedCase.objects.public().exists()


def test_nobody_outside_the_officials_reads_exposure_records(county_officer, closed, expert):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    assert list(ExposedCase.objects.visible_to(county_officer)) == [exposure]
    assert not ExposedCase.objects.visible_to(expert).exists()
    assert not ExposedCase.objects.visible_to(AnonymousUser()).exists()


# --- the API ------------------------------------------------------------------------------------


def test_the_api_lists_exposure_records_to_officials_only(
    county_officer, town_official, enterprise_manager, closed, api_client_for
):
    exposure = publish_case(actor=county_officer, case_id=closed.pk)
    data = api_client_for(town_official).get("/api/v1/exposed-cases/").json()
    assert [r["id"] for r in data["results"]] == [exposure.pk]
    assert api_client_for(enterprise_manager).get("/api/v1/exposed-cases/").json()["results"] == []
    assert Client().get("/api/v1/exposed-cases/").status_code in (401, 403)
    withdraw_case(actor=county_officer, exposure_id=exposure.pk, reason="已撤销")
    # withdrawn: the county office still reads the record, the towns no longer
    detail = api_client_for(county_officer).get(f"/api/v1/exposed-cases/{exposure.pk}/").json()
    assert detail["is_public"] is False and detail["withdrawal_reason"] == "已撤销"
    assert (
        api_client_for(town_official).get(f"/api/v1/exposed-cases/{exposure.pk}/").status_code
        == 404
    )
    assert api_client_for(county_officer).post("/api/v1/exposed-cases/", {}).status_code == 405
