"""Control characters and deeply nested JSON (issue 8 items 23 and 24)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hazards.models import Hazard, RiskPoint
from safetyportal.api.urls import router
from safetyportal.core import api_parsers as parsers
from safetyportal.core.excel import safe_cell
from safetyportal.core.text import strip_control_characters
from tests.hazards.factories import HazardFactory
from tests.hazards.test_hazard_api import post_hazard

VT = "\u000b"


def exported_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


# --- item 23: control characters --------------------------------------------------------


def test_control_characters_are_stripped_keeping_tabs_and_line_breaks():
    assert strip_control_characters("a\x00b\x0bc\x0cd\x1fe\x7ff\x85g\t\n\rh") == "abcdefg\t\n\rh"


def test_safe_cell_drops_what_an_xlsx_cannot_hold_then_neutralises_formulas():
    assert safe_cell(f"配电箱{VT}未接地") == "配电箱未接地"
    assert safe_cell(f"{VT}=1+1") == "'=1+1"
    assert safe_cell(7) == 7


def test_api_strips_control_characters_and_the_ledger_still_exports(
    api_client_for, client_for, county, enterprise_manager, county_officer
):
    created = post_hazard(
        api_client_for(enterprise_manager),
        county.xdk_build.pk,
        description=f"配电箱{VT}未接地",
        location=f"1号{VT}车间",
    )
    assert created.status_code == 201, created.json()
    hazard = Hazard.objects.get(pk=created.json()["id"])
    assert (hazard.description, hazard.location) == ("配电箱未接地", "1号车间")
    response = client_for(county_officer).get(reverse("hazards:export"))
    assert response.status_code == 200
    assert exported_rows(response)[1][8] == "配电箱未接地"


@pytest.mark.parametrize("fmt", ["multipart", "json"])
def test_api_form_and_json_bodies_are_stripped(api_client_for, enterprise_manager, county, fmt):
    body = {
        "enterprise": county.xdk_build.pk,
        "name": f"配电房{VT}\x00",
        "hazard_factors": "触电\n漏电",
        "likelihood": "3",
        "exposure": "6",
        "consequence": "7",
        "control_measures": "绝缘防护",
        "responsible_person": "周经理",
        "check_frequency": "daily",
    }
    response = api_client_for(enterprise_manager).post("/api/v1/risk-points/", body, format=fmt)
    assert response.status_code == 201, response.json()
    point = RiskPoint.objects.get()
    assert (point.name, point.hazard_factors) == ("配电房", "触电\n漏电")


def test_api_urlencoded_body_is_stripped(enterprise_manager, county):
    from urllib.parse import urlencode

    client = APIClient()
    client.force_authenticate(enterprise_manager)
    body = urlencode(
        {
            "enterprise": county.xdk_build.pk,
            "name": f"配电房{VT}",
            "hazard_factors": "触电",
            "likelihood": "3",
            "exposure": "6",
            "consequence": "7",
            "control_measures": "绝缘防护",
            "responsible_person": "周经理",
            "check_frequency": "daily",
        }
    )
    response = client.post(
        "/api/v1/risk-points/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 201, response.json()
    assert RiskPoint.objects.get().name == "配电房"


def test_page_forms_strip_control_characters(client_for, enterprise_manager):
    response = client_for(enterprise_manager).post(
        reverse("hazards:risk_create"),
        {
            "name": f"配电房{VT}",
            "hazard_factors": f"触电{VT}",
            "likelihood": "3",
            "exposure": "6",
            "consequence": "7",
            "control_measures": "绝缘防护",
            "responsible_person": "周经理",
            "check_frequency": "daily",
        },
    )
    assert response.status_code == 302
    point = RiskPoint.objects.get()
    assert (point.name, point.hazard_factors) == ("配电房", "触电")


def test_exports_survive_control_characters_already_stored(client_for, county, county_officer):
    HazardFactory(enterprise=county.xdk_chem, description=f"旧数据{VT}描述", location="\x01仓库")
    county.xdk_chem.name = f"小渡口化工{VT}有限公司"
    county.xdk_chem.save(update_fields=["name"])
    ledger = client_for(county_officer).get(reverse("hazards:export"))
    assert ledger.status_code == 200
    row = exported_rows(ledger)[1]
    assert (row[1], row[7], row[8]) == ("小渡口化工有限公司", "仓库", "旧数据描述")
    registry = client_for(county_officer).get(reverse("enterprises:export"))
    assert registry.status_code == 200
    assert "小渡口化工有限公司" in {row[0] for row in exported_rows(registry)}


# --- item 24: deeply nested JSON ----------------------------------------------------------

DEEP = "[" * 3000 + "]" * 3000  # 6 KB


def test_deeply_nested_json_to_the_unauthenticated_token_endpoint_answers_400(db):
    response = APIClient().post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"][0]


@pytest.mark.parametrize("depth", [3000, 50])
def test_deeply_nested_json_to_api_endpoints_answers_400(
    api_client_for, county, enterprise_manager, depth
):
    client = api_client_for(enterprise_manager)
    hazard = HazardFactory(enterprise=county.xdk_build)
    body = '{"note": ' + "[" * depth + "]" * depth + "}"
    for url in (
        "/api/v1/hazards/",
        "/api/v1/risk-points/",
        f"/api/v1/hazards/{hazard.pk}/submit/",  # declares its own parsers
        "/api/v1/duties/staffing/",
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert "嵌套" in response.json()["detail"][0], url


def test_ordinary_nesting_is_accepted(api_client_for, county, enterprise_manager):
    body = {"answers": [{"id": 1, "note": "x"}], "submit": False}
    parsed = parsers.JSONParser().parse(
        io.BytesIO(__import__("json").dumps(body).encode()), parser_context={}
    )
    assert parsed == body


def test_every_api_view_and_action_parses_through_the_portal_parsers():
    from safetyportal.api.auth import obtain_token

    allowed = set(parsers.DEFAULT_PARSERS)
    views = [obtain_token.cls]
    for _, viewset, _ in router.registry:
        views.append(viewset)
        for action in viewset.get_extra_actions():
            classes = action.kwargs.get("parser_classes")
            if classes is not None:
                assert set(classes) <= allowed, (viewset.__name__, action.__name__)
    for view in views:
        assert set(view.parser_classes) <= allowed, view.__name__


def test_a_line_break_in_user_text_does_not_break_the_notification_email(
    db, django_capture_on_commit_callbacks
):
    from django.core import mail

    from safetyportal.notifications.services import notify
    from tests.factories import UserFactory

    user = UserFactory(email="imm@example.cn", email_frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, title="贵单位有一条新隐患需整改：1号\n车间\r\n东侧")
    assert notification.title == "贵单位有一条新隐患需整改：1号 车间 东侧"
    assert mail.outbox[0].subject == "[安全生产监管门户] 贵单位有一条新隐患需整改：1号 车间 东侧"
