"""Pages and API of penalty cases: permissions per role, methods, query counts, the PDF."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from enforcement.cases import services
from enforcement.cases.casefile import build_case_file
from enforcement.cases.models import Case, CaseDocument, FileStatus
from tests.enforcement.factories import days
from tests.factories import DepartmentUserFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

SIMPLE_BODY = {
    "party_kind": "person",
    "party_name": "张三",
    "facts": "未佩戴安全帽",
    "penalty_kind": "fine",
}


def _simple_body(powers, officer, fine):
    return {**SIMPLE_BODY, "item": powers.fine_item.pk, "officers": [officer.pk], "fine": fine}


@pytest.mark.parametrize(("fine", "code"), [("200", 201), ("201", 400)])
def test_api_simple_person_cap(api_client_for, powers, other_town_official, fine, code):
    response = api_client_for(other_town_official).post(
        "/api/v1/cases/simple/", _simple_body(powers, other_town_official, fine), format="json"
    )
    assert response.status_code == code, response.content
    if code == 400:
        assert "200" in str(response.json()["fine"])


@pytest.mark.parametrize(("fine", "code"), [("3000", 201), ("3001", 400)])
def test_api_simple_organisation_cap(api_client_for, powers, other_town_official, fine, code):
    body = {**_simple_body(powers, other_town_official, fine), "party_kind": "organisation"}
    response = api_client_for(other_town_official).post(
        "/api/v1/cases/simple/", body, format="json"
    )
    assert response.status_code == code


def test_api_general_refused_for_simple_only_town(
    api_client_for, powers, county, other_town_official
):
    body = {
        "item": powers.fine_item.pk,
        "enterprise": county.ly_build.pk,
        "party_kind": "organisation",
        "facts": "x",
        "officers": [other_town_official.pk],
    }
    response = api_client_for(other_town_official).post(
        "/api/v1/cases/general/", body, format="json"
    )
    assert response.status_code == 400
    assert "仅受委托适用简易程序" in str(response.json())
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["county_officer", "leader", "enterprise_manager", "expert"])
def test_api_create_forbidden_for_non_officials(request, api_client_for, powers, role):
    user = request.getfixturevalue(role)
    response = api_client_for(user).post(
        "/api/v1/cases/simple/", _simple_body(powers, user, "100"), format="json"
    )
    assert response.status_code == 403


def test_api_wrong_method(api_client_for, general_case, town_official):
    client = api_client_for(town_official)
    assert client.get("/api/v1/cases/simple/").status_code == 405
    assert client.get(f"/api/v1/cases/{general_case.pk}/evidence/").status_code == 405
    assert client.delete(f"/api/v1/cases/{general_case.pk}/").status_code == 405


def test_api_steps_allowed_forbidden_and_state(
    api_client_for, general_case, town_official, department_official, other_town_official
):
    url = f"/api/v1/cases/{general_case.pk}/evidence/"
    body = {"kind": "record", "description": "现场笔录", "collected_on": str(days(0))}
    # the delegating department sees the case but may not act on it; another town not even sees it
    assert api_client_for(department_official).post(url, body).status_code == 403
    assert api_client_for(other_town_official).post(url, body).status_code == 404
    assert api_client_for(town_official).post(url, body).status_code == 200
    decide = f"/api/v1/cases/{general_case.pk}/decide/"
    response = api_client_for(town_official).post(
        decide, {"decided_on": str(days(0)), "penalty_kind": "warning"}
    )
    assert response.status_code == 409
    docs = api_client_for(town_official).get(f"/api/v1/cases/{general_case.pk}/documents/")
    assert docs.status_code == 200 and docs.json()[0]["kind"] == "filing"


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("town_official", True),
        ("other_town_official", False),
        ("department_official", True),  # the item's delegating department
        ("county_officer", True),
        ("leader", True),
        ("enterprise_manager", True),  # its own (xdk_build)
        ("expert", False),
    ],
)
def test_visibility_per_role(request, client_for, api_client_for, general_case, role, sees):
    user = request.getfixturevalue(role)
    page = client_for(user).get(reverse("enforcement:case_detail", args=[general_case.pk]))
    assert page.status_code == (200 if sees else 404)
    api = api_client_for(user).get(f"/api/v1/cases/{general_case.pk}/")
    assert api.status_code == (200 if sees else 404)


def test_another_department_does_not_see_a_case_on_an_item_it_did_not_delegate(
    client_for, county, general_case
):
    other = DepartmentUserFactory(organisation=county.other_department)
    page = client_for(other).get(reverse("enforcement:case_detail", args=[general_case.pk]))
    assert page.status_code == 404


def test_the_delegating_department_reads_but_does_not_act(
    client_for, general_case, department_official
):
    page = client_for(department_official).get(
        reverse("enforcement:case_detail", args=[general_case.pk])
    )
    assert page.status_code == 200
    listed = client_for(department_official).get(reverse("enforcement:case_list"))
    assert general_case.party_name in listed.content.decode()
    step = reverse("enforcement:case_step", args=[general_case.pk, "evidence"])
    assert client_for(department_official).post(step, {}).status_code == 403


def test_read_only_roles_see_no_step_forms(
    client_for, general_case, county_officer, enterprise_manager
):
    for user in (county_officer, enterprise_manager):
        page = client_for(user).get(reverse("enforcement:case_detail", args=[general_case.pk]))
        assert 'data-testid="form-evidence"' not in page.content.decode()


def test_page_step_allowed_forbidden_wrong_method(
    client_for, general_case, town_official, county_officer
):
    url = reverse("enforcement:case_step", args=[general_case.pk, "evidence"])
    data = {
        "evidence-kind": "record",
        "evidence-description": "笔录",
        "evidence-collected_on": str(days(0)),
    }
    assert client_for(town_official).get(url).status_code == 405
    assert client_for(county_officer).post(url, data).status_code == 403
    assert client_for(town_official).post(url, data).status_code == 302
    assert general_case.evidence.count() == 1


def test_create_page_simple_only_town_sees_general_disabled(
    client_for, powers, other_town_official
):
    page = client_for(other_town_official).get(
        reverse("enforcement:case_create") + "?procedure=general"
    )
    assert "仅受委托适用简易程序" in page.content.decode()


def test_create_page_posts_a_simple_case(client_for, powers, other_town_official):
    data = {
        "item": powers.fine_item.pk,
        "party_kind": "person",
        "party_name": "张三",
        "facts": "x",
        "officers": [other_town_official.pk],
        "penalty_kind": "fine",
        "fine": "150",
        "decided_on": str(days(0)),
    }
    client = client_for(other_town_official)
    url = reverse("enforcement:case_create") + "?procedure=simple"
    assert client.post(url, {**data, "fine": "201"}).status_code == 400
    assert not Case.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Case.objects.get().fine == Decimal("150")


def test_list_query_count_constant(
    client_for, powers, other_town_official, django_assert_max_num_queries
):
    client = client_for(other_town_official)
    for _ in range(3):
        services.create_simple_case(
            actor=other_town_official,
            item=powers.fine_item,
            party_kind="person",
            party_name="张三",
            facts="x",
            penalty_kind="fine",
            fine=Decimal("50"),
            officers=[other_town_official],
        )
    with django_assert_max_num_queries(12) as first:
        assert client.get(reverse("enforcement:case_list")).status_code == 200
    for _ in range(10):
        services.create_simple_case(
            actor=other_town_official,
            item=powers.fine_item,
            party_kind="person",
            party_name="李四",
            facts="x",
            penalty_kind="warning",
            officers=[other_town_official],
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("enforcement:case_list") + "?overdue=false").status_code == 200


def test_detail_query_count_constant(
    client_for, general_case, town_official, django_assert_max_num_queries
):
    client = client_for(town_official)
    url = reverse("enforcement:case_detail", args=[general_case.pk])
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for n in range(5):
        services.add_evidence(
            actor=town_official,
            case_id=general_case.pk,
            kind="record",
            description=f"笔录{n}",
            collected_on=days(0),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_case_file_pdf_served_only_to_permitted_users(
    client_for, general_case, town_official, other_town_official, county_officer
):
    assert (
        client_for(other_town_official)
        .post(reverse("enforcement:case_file_request", args=[general_case.pk]))
        .status_code
        == 404
    )
    response = client_for(town_official).post(
        reverse("enforcement:case_file_request", args=[general_case.pk])
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=general_case.pk).file_status == FileStatus.PENDING
    assert build_case_file(general_case.pk) == FileStatus.READY
    url = reverse("enforcement:case_file_download", args=[general_case.pk])
    pdf = b"".join(client_for(county_officer).get(url).streaming_content)
    assert "行政处罚案卷" in pdf_text(pdf) and "立案审批表" in pdf_text(pdf)
    assert client_for(other_town_official).get(url).status_code == 404
    status = client_for(town_official).get(
        reverse("enforcement:case_file_status", args=[general_case.pk])
    )
    assert 'data-testid="case-file-link"' in status.content.decode()


@pytest.mark.django_db(transaction=True)
def test_numbers_unique_under_concurrency(powers, other_town_official):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (row locks)")
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def issue():
        try:
            barrier.wait(timeout=10)
            services.create_simple_case(
                actor=other_town_official,
                item=powers.fine_item,
                party_kind="person",
                party_name="张三",
                facts="x",
                penalty_kind="fine",
                fine=Decimal("20"),
                officers=[other_town_official],
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(CaseDocument.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
