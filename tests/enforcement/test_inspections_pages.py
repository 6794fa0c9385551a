"""The inspection pages and API: who may do what (allowed, forbidden, wrong method), each
role's visibility, bad input refused in Chinese with nothing changed, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enforcement.inspections import services
from enforcement.inspections.models import Inspection, InspectionStatus
from hazards.models import Hazard
from tests.enforcement.factories import days
from tests.hazards.conftest import png_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(name="现场.png", data=None):
    return SimpleUploadedFile(name, data or png_bytes(), content_type="image/png")


def form_data(county, checklists, officer, **changes):
    item = checklists.chem.items.order_by("order").first()
    data = {
        "enterprise": county.xdk_chem.pk,
        "inspected_on": days(0).isoformat(),
        "officers": [officer.pk],
        "acknowledged_by": "周经理",
        f"answer-{item.pk}": "no",
        f"note-{item.pk}": "未登记",
        "finding-0-description": "重大危险源未登记建档",
        "finding-0-location": "储罐区",
        "finding-0-item": str(item.pk),
        "finding-0-photos": photo(),
    }
    data.update(changes)
    return data


@pytest.fixture
def submitted(log, town_official):
    inspection = log()
    services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    return inspection


# --- logging --------------------------------------------------------------------------------


def test_a_town_official_logs_an_inspection_on_the_page(
    client_for, county, checklists, town_official, powers
):
    client = client_for(town_official)
    url = reverse("enforcement:inspection_create")
    picker = client.get(url, {"q": "小渡口"})
    assert "小渡口化工有限公司" in picker.content.decode()
    assert "澧阳" not in picker.content.decode()  # outside the town: not offered
    page = client.get(url, {"enterprise": county.xdk_chem.pk})
    assert page.status_code == 200
    assert "危险化学品企业检查表" in page.content.decode()
    response = client.post(url, form_data(county, checklists, town_official))
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("enforcement:inspection_detail", args=[inspection.pk])
    assert inspection.findings.get().photos.count() == 1
    assert inspection.answers.get().note == "未登记"


def test_logging_is_forbidden_to_those_who_do_not_inspect(
    client_for, county, checklists, county_officer, enterprise_manager, town_official, powers
):
    url = reverse("enforcement:inspection_create")
    for user in (county_officer, enterprise_manager):
        client = client_for(user)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(county, checklists, town_official)).status_code == 403
    assert not Inspection.objects.exists()


def test_logging_refuses_the_wrong_method(client_for, town_official):
    assert (
        client_for(town_official).put(reverse("enforcement:inspection_create")).status_code == 405
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"inspected_on": days(3).isoformat()}, "不能晚于今天"),
        ({"officers": ["__uncertified__"]}, "没有有效的执法证"),
        ({"finding-0-photos": "__bad_photo__"}, "不是允许的类型"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
    client_for, county, checklists, town_official, powers, change, message
):
    change = dict(change)
    if change.get("officers") == ["__uncertified__"]:
        change["officers"] = [powers.uncertified_official.pk]
    if change.get("finding-0-photos") == "__bad_photo__":
        change["finding-0-photos"] = photo("x.png", b"this is no picture")
    response = client_for(town_official).post(
        reverse("enforcement:inspection_create"),
        form_data(county, checklists, town_official, **change),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Inspection.objects.exists()


def test_an_enterprise_outside_the_scope_is_refused(
    client_for, county, checklists, town_official, powers
):
    response = client_for(town_official).post(
        reverse("enforcement:inspection_create"),
        form_data(county, checklists, town_official, enterprise=county.ly_chem.pk),
    )
    assert response.status_code == 400
    assert "不在您的辖区" in response.content.decode()
    assert not Inspection.objects.exists()


# --- workflow steps and finding -> hazard --------------------------------------------------


def test_submit_step_allowed_forbidden_and_wrong_method(
    client_for, log, town_official, powers, other_town_official
):
    inspection = log()
    url = reverse("enforcement:inspection_step", args=[inspection.pk, "submit"])
    assert client_for(other_town_official).post(url).status_code == 404  # not visible
    assert client_for(powers.town_partner).get(url).status_code == 405
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFT
    response = client_for(powers.town_partner).post(url)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
    again = client_for(town_official).post(url)
    assert again.status_code == 409


def test_a_joint_unit_may_see_but_not_submit_anothers_draft(
    client_for, log, county, department_official, town_official
):
    inspection = log(joint_units=[county.department])
    client = client_for(department_official)
    assert (
        client.get(reverse("enforcement:inspection_detail", args=[inspection.pk])).status_code
        == 200
    )
    url = reverse("enforcement:inspection_step", args=[inspection.pk, "submit"])
    assert client.post(url).status_code == 403


def test_finding_to_hazard_allowed_forbidden_and_wrong_method(
    client_for, submitted, town_official, department_official, county_officer
):
    finding = submitted.findings.get()
    url = reverse("enforcement:inspection_finding_hazard", args=[finding.pk])
    data = {
        f"f{finding.pk}-deadline": days(7).isoformat(),
        f"f{finding.pk}-responsible_person": "周经理",
    }
    assert client_for(county_officer).post(url, data).status_code == 403
    assert client_for(department_official).post(url, data).status_code == 404
    assert client_for(town_official).get(url).status_code == 405
    assert not Hazard.objects.exists()
    bad = client_for(town_official).post(url, {f"f{finding.pk}-responsible_person": "周经理"})
    assert bad.status_code == 400 and not Hazard.objects.exists()
    response = client_for(town_official).post(url, data)
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    ledger = client_for(town_official).get(reverse("hazards:list"))
    assert hazard.code in ledger.content.decode()
    detail = client_for(town_official).get(
        reverse("enforcement:inspection_detail", args=[submitted.pk])
    )
    assert "/enforcement/cases/new/?inspection=" in detail.content.decode()


def test_a_finding_photo_is_served_only_to_those_who_see_the_inspection(
    client_for, log, town_official, other_town_official
):
    inspection = log(
        findings=[
            services.FindingInput(description="d", photos=[services.check_photos([photo()])[0]])
        ]
    )
    photo_row = inspection.findings.get().photos.get()
    url = reverse("enforcement:inspection_photo", args=[photo_row.pk])
    full = client_for(town_official).get(url)
    assert full.status_code == 200
    assert b"".join(full.streaming_content)[:4] == b"\x89PNG"
    assert client_for(town_official).get(url, {"size": "thumb"}).status_code == 200
    assert client_for(other_town_official).get(url).status_code == 404


# --- visibility -----------------------------------------------------------------------------


@pytest.fixture
def spread(log, county, town_official, other_town_official, department_official):
    """小渡口镇's own; 澧阳街道's own; 应急管理局's in 澧阳街道 jointly with 小渡口镇."""
    return {
        "town": log(actor=town_official, enterprise=county.xdk_chem),
        "other_town": log(actor=other_town_official, enterprise=county.ly_build),
        "department": log(
            actor=department_official,
            enterprise=county.ly_chem,
            joint_units=[county.town],
        ),
    }


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("county_officer", {"town", "other_town", "department"}),
        ("leader", {"town", "other_town", "department"}),
        ("town_official", {"town", "department"}),  # joint unit
        ("other_town_official", {"other_town", "department"}),  # its territory
        ("department_official", {"department"}),
        ("enterprise_manager", set()),  # 小渡口建筑工程公司 was not inspected
        ("expert", set()),
    ],
)
def test_each_role_sees_its_inspections(request, spread, client_for, persona, sees):
    user = request.getfixturevalue(persona)
    expected = {spread[k].pk for k in sees}
    assert set(Inspection.objects.visible_to(user).values_list("pk", flat=True)) == expected
    for key, inspection in spread.items():
        response = client_for(user).get(
            reverse("enforcement:inspection_detail", args=[inspection.pk])
        )
        assert response.status_code == (200 if key in sees else 404)


def test_the_list_filters(client_for, spread, county_officer, county):
    client = client_for(county_officer)
    url = reverse("enforcement:inspection_list")
    body = client.get(url, {"town": county.other_town.pk}).content.decode()
    assert "澧阳化工有限公司" in body and "小渡口化工有限公司" not in body
    body = client.get(url, {"q": "小渡口"}).content.decode()
    assert "小渡口化工有限公司" in body and "澧阳建设集团" not in body
    body = client.get(url, {"has_findings": "false"}).content.decode()
    assert "没有符合条件的检查记录" in body


# --- 只检查不执法 --------------------------------------------------------------------------


def test_unfollowed_counts_per_unit_and_lists_them(
    client_for, log, county_officer, town_official, enterprise_manager
):
    led = log()
    services.submit_inspection(actor=town_official, inspection_id=led.pk)
    ignored = log()
    services.submit_inspection(actor=town_official, inspection_id=ignored.pk)
    services.mark_followed_up(inspection_id=led.pk)
    url = reverse("enforcement:inspection_unfollowed")
    response = client_for(county_officer).get(url)
    assert response.status_code == 200
    units = response.context["units"]
    assert units == [
        {
            "unit_id": ignored.unit_id,
            "unit": "小渡口镇",
            "total": 2,
            "with_findings": 2,
            "unfollowed": 1,
        }
    ]
    assert [i.pk for i in response.context["page"]] == [ignored.pk]
    assert client_for(enterprise_manager).get(url).status_code == 403


def _unfollowed_in(log, town_official, year: int):
    inspection = log()
    services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    if year != days(0).year:
        # an inspection of an earlier year (logging refuses dates that far back)
        Inspection.objects.filter(pk=inspection.pk).update(inspected_on=datetime.date(year, 6, 1))
    return inspection


def test_unfollowed_shows_this_year_unless_another_is_chosen(
    client_for, log, county_officer, town_official
):
    this_year = days(0).year
    recent = _unfollowed_in(log, town_official, this_year)
    older = _unfollowed_in(log, town_official, this_year - 1)
    client = client_for(county_officer)
    url = reverse("enforcement:inspection_unfollowed")
    response = client.get(url)
    assert response.status_code == 200 and response.context["year"] == this_year
    assert [i.pk for i in response.context["page"]] == [recent.pk]
    assert [u["total"] for u in response.context["units"]] == [1]
    html = response.content.decode()
    assert f'<option value="{this_year - 1}">' in html
    assert f"{this_year} 年度只检查不执法" in html
    response = client.get(url, {"year": this_year - 1})
    assert response.status_code == 200 and response.context["year"] == this_year - 1
    assert [i.pk for i in response.context["page"]] == [older.pk]
    assert [u["unfollowed"] for u in response.context["units"]] == [1]
    # a year with nothing: both tables empty
    response = client.get(url, {"year": 2020})
    assert response.context["units"] == [] and list(response.context["page"]) == []


def test_the_kept_unfollowed_summary_follows_every_change(
    client_for, log, county_officer, town_official
):
    """The summary is kept (ADR 0017): a submission and a follow-up (a QuerySet.update)
    each show on the next read."""
    client = client_for(county_officer)
    url = reverse("enforcement:inspection_unfollowed")

    def summary():
        return [
            (u["total"], u["with_findings"], u["unfollowed"])
            for u in client.get(url).context["units"]
        ]

    first = _unfollowed_in(log, town_official, days(0).year)
    assert summary() == [(1, 1, 1)]
    second = _unfollowed_in(log, town_official, days(0).year)
    assert summary() == [(2, 2, 2)]
    services.mark_followed_up(inspection_id=first.pk)
    assert summary() == [(2, 2, 1)]
    draft = log(findings=[])
    assert summary() == [(2, 2, 1)]  # a draft is not counted
    services.add_finding(
        actor=town_official, inspection_id=draft.pk, description="又一处", photos=[photo()]
    )
    services.submit_inspection(actor=town_official, inspection_id=draft.pk)
    assert summary() == [(3, 3, 2)]
    assert second.pk in [i.pk for i in client.get(url).context["page"]]


@pytest.mark.parametrize("bad", ["abc", "1999", "2101", str(days(0).year + 1), "2025.5"])
def test_unfollowed_refuses_a_year_not_offered_in_chinese(
    client_for, log, county_officer, town_official, bad
):
    recent = _unfollowed_in(log, town_official, days(0).year)
    before = list(Inspection.objects.values_list("pk", "inspected_on", "followed_up"))
    response = client_for(county_officer).get(
        reverse("enforcement:inspection_unfollowed"), {"year": bad}
    )
    assert response.status_code == 400
    assert "请从列表中选择年度" in response.content.decode()
    # this year's figures instead, nothing changed
    assert response.context["year"] == days(0).year
    assert [i.pk for i in response.context["page"]] == [recent.pk]
    assert list(Inspection.objects.values_list("pk", "inspected_on", "followed_up")) == before


def test_unfollowed_costs_the_same_queries_whatever_the_year_and_the_rows(
    client_for, log, county_officer, town_official, django_assert_max_num_queries
):
    client = client_for(county_officer)
    url = reverse("enforcement:inspection_unfollowed")
    years = [{}, {"year": days(0).year - 1}, {"year": "abc"}]
    for year in (days(0).year, days(0).year - 1):
        _unfollowed_in(log, town_official, year)  # a page with rows in each year
    counts = []
    for _round in range(2):
        row = []
        for params in years:
            with django_assert_max_num_queries(40) as queries:
                assert client.get(url, params).status_code in (200, 400)
            row.append(len(queries.captured_queries))
        counts.append(row)
        for year in (days(0).year, days(0).year - 1, days(0).year - 1):
            _unfollowed_in(log, town_official, year)
    # (the bad year shows this year's summary, kept from the first request: one query less)
    assert counts[0] == counts[1]


# --- constant queries -----------------------------------------------------------------------


def test_list_and_detail_cost_the_same_queries_with_more_data(
    client_for, log, town_official, django_assert_max_num_queries
):
    client = client_for(town_official)
    first = log()
    list_url = reverse("enforcement:inspection_list")
    detail_url = reverse("enforcement:inspection_detail", args=[first.pk])
    unfollowed_url = reverse("enforcement:inspection_unfollowed")
    counts = []
    for _round in range(2):
        row = []
        for url in (list_url, detail_url, unfollowed_url):
            with django_assert_max_num_queries(40) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries.captured_queries))
        counts.append(row)
        for _n in range(4):
            services.add_finding(
                actor=town_official, inspection_id=first.pk, description="又一处", photos=[photo()]
            )
            log()
    assert counts[0] == counts[1]


# --- API ------------------------------------------------------------------------------------


def test_api_create_list_detail_and_steps(
    api_client_for, county, checklists, powers, town_official, county_officer, enterprise_manager
):
    client = api_client_for(town_official)
    item = checklists.chem.items.order_by("order").first()
    payload = {
        "enterprise": county.xdk_chem.pk,
        "inspected_on": days(0).isoformat(),
        "officers": [town_official.pk],
        "acknowledged_by": "周经理",
        "answers": [{"item": item.pk, "answer": "no", "note": ""}],
        "findings": [{"description": "重大危险源未登记", "location": "储罐区"}],
    }
    assert (
        api_client_for(enterprise_manager)
        .post("/api/v1/inspections/", payload, format="json")
        .status_code
        == 403
    )
    response = client.post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["findings"][0]["description"] == "重大危险源未登记"
    assert client.get("/api/v1/inspections/").json()["count"] == 1
    add = client.post(
        f"/api/v1/inspections/{pk}/add-finding/",
        {"description": "灭火器过期", "photos": [photo()]},
        format="multipart",
    )
    assert add.status_code == 200, add.content
    assert add.json()["finding_count"] == 2
    assert client.get(f"/api/v1/inspections/{pk}/submit/").status_code == 405
    assert (
        api_client_for(county_officer).post(f"/api/v1/inspections/{pk}/submit/").status_code == 403
    )
    assert client.post(f"/api/v1/inspections/{pk}/submit/").json()["status"] == "submitted"
    finding = Inspection.objects.get(pk=pk).findings.order_by("id").first()
    url = f"/api/v1/inspection-findings/{finding.pk}/hazard/"
    body = {"deadline": days(5).isoformat(), "responsible_person": "周经理"}
    assert api_client_for(county_officer).post(url, body, format="json").status_code == 403
    assert client.get(url).status_code == 405
    done = client.post(url, body, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["hazard"] == Hazard.objects.get().pk


def test_api_refuses_bad_input_in_chinese(
    api_client_for, county, checklists, town_official, powers
):
    payload = {
        "enterprise": county.xdk_chem.pk,
        "inspected_on": days(2).isoformat(),
        "officers": [town_official.pk],
    }
    response = api_client_for(town_official).post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    payload.update(inspected_on=days(0).isoformat(), officers=[powers.uncertified_official.pk])
    response = api_client_for(town_official).post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 400 and "执法证" in response.content.decode()
    payload.update(officers=[town_official.pk], enterprise=county.ly_chem.pk)
    response = api_client_for(town_official).post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 400
    assert not Inspection.objects.exists()


def test_the_acknowledgement_step_records_who_signed_or_the_refusal(
    client_for, log, town_official, department_official
):
    inspection = log(acknowledged_by="")
    url = reverse("enforcement:inspection_step", args=[inspection.pk, "acknowledge"])
    assert (
        client_for(department_official).post(url, {"acknowledge-refused_to_sign": "on"}).status_code
        == 404
    )
    assert client_for(town_official).get(url).status_code == 405
    both = client_for(town_official).post(
        url, {"acknowledge-acknowledged_by": "周经理", "acknowledge-refused_to_sign": "on"}
    )
    assert both.status_code == 400 and "二选一" in both.content.decode()
    inspection.refresh_from_db()
    assert not inspection.refused_to_sign
    assert (
        client_for(town_official).post(url, {"acknowledge-refused_to_sign": "on"}).status_code
        == 302
    )
    inspection.refresh_from_db()
    assert inspection.refused_to_sign
