"""Where the areas meet: the case form (certified officers on the case's date, the shared
enterprise picker, the repeat-offender flag), the accident report's picker, the reference
data (catalogue and checklists) and the exposure doors."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from enforcement.accidents.models import Accident
from enforcement.authority.models import DelegatedItem
from enforcement.cases.models import Case
from enforcement.inspections.models import ChecklistItem, ChecklistTemplate, Inspection
from enforcement.reference import ensure_checklists, ensure_delegated_items
from tests.enforcement.factories import ClosedCaseFactory, days
from tests.enforcement.test_accidents_pages import _report_data
from tests.enforcement.test_inspections_pages import form_data

pytestmark = pytest.mark.django_db

CASE_NEW = "/enforcement/cases/new/"
ACCIDENT_NEW = "/enforcement/accidents/new/"


def _simple(powers, officer, **extra):
    data = {
        "item": powers.fine_item.pk,
        "party_kind": "person",
        "party_name": "张三",
        "facts": "未佩戴安全帽",
        "officers": [officer.pk],
        "penalty_kind": "fine",
        "fine": "150",
        "decided_on": str(days(0)),
    }
    data.update(extra)
    return data


# --- the case form: officers --------------------------------------------------------------


def test_case_form_offers_only_the_units_certified_officers(client_for, powers, town_official):
    page = client_for(town_official).get(CASE_NEW + "?procedure=simple").content.decode()
    assert "钱执法" in page  # town_partner, certified
    assert "冯无证" not in page  # uncertified_official: expired certificate
    assert "李街道" not in page  # another town's officer


def test_case_form_refuses_a_posted_uncertified_officer_and_saves_nothing(
    client_for, powers, town_official
):
    data = _simple(
        powers, town_official, officers=[town_official.pk, powers.uncertified_official.pk]
    )
    response = client_for(town_official).post(CASE_NEW + "?procedure=simple", data)
    assert response.status_code == 400
    assert "没有有效的执法证" in response.content.decode()
    assert not Case.objects.exists()


def test_case_form_offers_the_officers_certified_on_the_case_date(
    client_for, powers, town_official
):
    # the expired certificate was valid a week ago: a case dated then may name its holder
    data = _simple(
        powers,
        town_official,
        officers=[powers.uncertified_official.pk],
        decided_on=str(days(-7)),
    )
    response = client_for(town_official).post(CASE_NEW + "?procedure=simple", data)
    assert response.status_code == 302
    assert list(Case.objects.get().officers.all()) == [powers.uncertified_official]


def test_case_api_refuses_an_uncertified_officer(api_client_for, powers, town_official):
    body = _simple(powers, town_official, officers=[powers.uncertified_official.pk])
    response = api_client_for(town_official).post("/api/v1/cases/simple/", body, format="json")
    assert response.status_code == 400
    assert "有效执法证" in response.json()["officers"][0]
    assert not Case.objects.exists()


def test_case_create_page_forbidden_and_wrong_method(
    client_for, powers, leader, enterprise_manager, town_official
):
    for user in (leader, enterprise_manager):
        client = client_for(user)
        assert client.get(CASE_NEW).status_code == 403
        assert client.post(CASE_NEW, _simple(powers, town_official)).status_code == 403
    assert client_for(town_official).put(CASE_NEW).status_code == 405
    assert client_for(town_official).get(CASE_NEW + "?procedure=other").status_code == 404
    assert not Case.objects.exists()


def test_case_file_request_refuses_the_wrong_method(client_for, general_case, town_official):
    url = reverse("enforcement:case_file_request", args=[general_case.pk])
    assert client_for(town_official).get(url).status_code == 405


# --- the case form: enterprise picker and flag --------------------------------------------


def test_case_form_searches_enterprises_within_the_door(client_for, county, powers, town_official):
    client = client_for(town_official)
    found = client.get(CASE_NEW + "?procedure=simple&q=化工", headers={"HX-Request": "true"})
    body = found.content.decode()
    assert county.xdk_chem.name in body and county.ly_chem.name not in body
    assert f"enterprise={county.xdk_chem.pk}" in body and "procedure=simple" in body


def test_case_form_refuses_an_enterprise_outside_the_door(
    client_for, county, powers, town_official
):
    data = _simple(powers, town_official, enterprise=county.ly_chem.pk)
    response = client_for(town_official).post(CASE_NEW + "?procedure=simple", data)
    assert response.status_code == 400
    assert "不在您的辖区" in response.content.decode()
    assert not Case.objects.exists()


def test_case_form_shows_the_repeat_offender_flag_and_its_records(
    client_for, county, powers, town_official
):
    decided = [
        ClosedCaseFactory(
            enterprise=county.xdk_build,
            item=powers.fine_item,
            created_by=town_official,
            decided_on=days(-age),
        )
        for age in (5, 40, 90)
    ]
    client = client_for(town_official)
    page = client.get(f"{CASE_NEW}?procedure=simple&enterprise={county.xdk_build.pk}")
    body = page.content.decode()
    assert 'data-testid="repeat-offender-flag"' in body
    assert all(case.decision_number in body for case in decided)
    assert 'data-testid="enterprise-chosen"' in body
    # an enterprise with no penalties: no flag
    clean = client.get(f"{CASE_NEW}?procedure=simple&enterprise={county.xdk_chem.pk}")
    assert 'data-testid="repeat-offender-flag"' not in clean.content.decode()


def test_case_form_query_count_does_not_grow_with_penalties(
    client_for, county, powers, town_official, django_assert_max_num_queries
):
    url = f"{CASE_NEW}?procedure=simple&enterprise={county.xdk_build.pk}"
    client = client_for(town_official)
    for age in (1, 2, 3):  # flagged already: the flag's queries are all made
        ClosedCaseFactory(
            enterprise=county.xdk_build,
            item=powers.fine_item,
            created_by=town_official,
            decided_on=days(-age),
        )
    client.get(url)
    with django_assert_max_num_queries(60) as first:
        client.get(url)
    for age in range(20, 80, 5):
        ClosedCaseFactory(
            enterprise=county.xdk_build,
            item=powers.fine_item,
            created_by=town_official,
            decided_on=days(-age),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


# --- the accident report's picker --------------------------------------------------------


def test_accident_form_has_no_select_of_every_enterprise(client_for, county, county_officer):
    body = client_for(county_officer).get(ACCIDENT_NEW).content.decode()
    assert 'data-testid="enterprise-picker"' in body
    assert county.ly_build.name not in body  # no option list


def test_accident_picker_searches_within_the_scope(client_for, county, department_official):
    # 应急管理局 supervises the chemical industry only
    found = client_for(department_official).get(
        ACCIDENT_NEW + "?q=小渡口", headers={"HX-Request": "true"}
    )
    body = found.content.decode()
    assert county.xdk_chem.name in body and county.xdk_build.name not in body


def test_accident_picked_enterprise_fills_the_form(client_for, county, town_official):
    page = client_for(town_official).get(f"{ACCIDENT_NEW}?enterprise={county.xdk_chem.pk}")
    body = page.content.decode()
    assert 'data-testid="enterprise-chosen"' in body and county.xdk_chem.name in body
    assert f'name="enterprise" value="{county.xdk_chem.pk}"' in body


def test_accident_enterprise_outside_the_scope_refused_on_page_and_api(
    client_for, api_client_for, county, department_official
):
    data = _report_data(county, enterprise=county.xdk_build.pk)
    page = client_for(department_official).post(ACCIDENT_NEW, data)
    assert page.status_code == 400 and "不在您的辖区" in page.content.decode()
    del data["industry"], data["party_name"]
    api = api_client_for(department_official).post("/api/v1/accidents/", data, format="json")
    assert api.status_code == 400
    assert not Accident.objects.exists()
    # within the scope: accepted by both doors
    ok = api_client_for(department_official).post(
        "/api/v1/accidents/", {**data, "enterprise": county.xdk_chem.pk}, format="json"
    )
    assert ok.status_code == 201, ok.json()


# --- reference data -----------------------------------------------------------------------


def test_load_reference_data_loads_the_catalogue_and_checklists_once(db):
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    items = DelegatedItem.objects.count()
    templates, checklist_items = ChecklistTemplate.objects.count(), ChecklistItem.objects.count()
    assert items == 30 and templates == 5 and checklist_items > 0
    assert ChecklistTemplate.objects.filter(industry__isnull=True, is_current=True).count() == 1
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    assert DelegatedItem.objects.count() == items
    assert ChecklistTemplate.objects.count() == templates
    assert ChecklistItem.objects.count() == checklist_items
    assert ensure_delegated_items() == 0 and ensure_checklists() == 0


def test_reference_data_keeps_what_the_county_changed(db):
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    item = DelegatedItem.objects.order_by("pk").first()
    item.name = "县安委办改过的名称"
    item.save(update_fields=["name"])
    general = ChecklistTemplate.objects.get(industry__isnull=True)
    general.is_current = False
    general.save(update_fields=["is_current"])
    ChecklistTemplate.objects.create(industry=None, title="通用检查表（第二版）", version=2)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    item.refresh_from_db()
    assert item.name == "县安委办改过的名称"
    current = ChecklistTemplate.objects.filter(industry__isnull=True, is_current=True)
    assert [t.version for t in current] == [2]


# --- exposure doors -----------------------------------------------------------------------


def test_exposure_api_detail_is_404_out_of_scope(api_client_for, enterprise_manager):
    response = api_client_for(enterprise_manager).get("/api/v1/exposed-cases/999999/")
    assert response.status_code == 404
    assert api_client_for(enterprise_manager).get("/api/v1/exposed-cases/x/").status_code == 404


# --- methods: every state-changing page refuses the methods it does not take -------------

GET_OR_POST = [
    ("enforcement:case_create", []),
    ("enforcement:accident_create", []),
    ("enforcement:inspection_create", []),
    ("enforcement:authority_item_import", []),
    ("enforcement:authority_authorisation_create", []),
    ("enforcement:authority_authorisation_edit", [1]),
    ("enforcement:authority_certificate_create", []),
    ("enforcement:authority_certificate_renew", [1]),
    ("enforcement:plan_targets_add", [1]),
    ("enforcement:plan_target_edit", [1]),
    ("enforcement:pairing_edit", [1]),
]
POST_ONLY = [
    ("enforcement:case_step", [1, "notify"]),
    ("enforcement:case_file_request", [1]),
    ("enforcement:accident_step", [1, "close"]),
    ("enforcement:inspection_step", [1, "submit"]),
    ("enforcement:inspection_finding_hazard", [1]),
    ("enforcement:authority_certificate_revoke", [1]),
    ("enforcement:exposure_publish", [1]),
    ("enforcement:exposure_withdraw", [1]),
    ("enforcement:plan_create", []),
    ("enforcement:plan_target_delete", [1]),
    ("enforcement:pairing_create", []),
    ("enforcement:pairing_delete", [1]),
    ("enforcement:pairing_visit_create", [1]),
]


@pytest.mark.parametrize(("name", "args"), GET_OR_POST)
def test_get_or_post_pages_refuse_put_and_delete(client_for, county_officer, name, args):
    client = client_for(county_officer)
    url = reverse(name, args=args)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405


@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_post_only_endpoints_refuse_get(client_for, county_officer, name, args):
    assert client_for(county_officer).get(reverse(name, args=args)).status_code == 405


# --- the inspection form: officers certified on the inspection's date --------------------


def test_inspection_form_names_officers_certified_on_the_inspection_date(
    client_for, county, checklists, town_official, powers
):
    client = client_for(town_official)
    url = reverse("enforcement:inspection_create")
    page = client.get(url, {"enterprise": county.xdk_chem.pk}).content.decode()
    assert "冯无证" not in page  # expired yesterday: not offered for today
    today = form_data(county, checklists, powers.uncertified_official)
    refused = client.post(url, today)
    assert refused.status_code == 400 and not Inspection.objects.exists()
    week_ago = form_data(
        county, checklists, powers.uncertified_official, inspected_on=days(-7).isoformat()
    )
    assert client.post(url, week_ago).status_code == 302
    assert list(Inspection.objects.get().officers.all()) == [powers.uncertified_official]


def test_case_form_from_an_inspection_defaults_to_its_enterprise_and_can_change_it(
    client_for, county, log, town_official
):
    inspection = log(enterprise=county.xdk_build)
    client = client_for(town_official)
    url = f"{CASE_NEW}?procedure=simple&inspection={inspection.pk}"
    page = client.get(url).content.decode()
    assert 'data-testid="enterprise-chosen"' in page and county.xdk_build.name in page
    unpicked = client.get(url + "&enterprise=").content.decode()
    assert 'data-testid="enterprise-chosen"' not in unpicked
    assert f"inspection={inspection.pk}" in unpicked  # the search keeps the inspection


@pytest.mark.parametrize(
    ("persona", "hidden", "shown"),
    [
        ("enterprise_manager", {"unit", "town"}, set()),
        ("town_official", {"town"}, {"unit"}),
        ("county_officer", set(), {"unit", "town"}),
    ],
)
@pytest.mark.parametrize(
    "url", ["/enforcement/cases/", "/enforcement/inspections/", "/enforcement/accidents/"]
)
def test_list_filters_offer_only_choices_that_mean_something(
    request, client_for, persona, hidden, shown, url
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(url)
    assert response.status_code == 200
    form = response.context["filter"].form
    visible = {field.name for field in form.visible_fields()}
    assert not (hidden & visible)
    assert shown & set(form.fields) <= visible
