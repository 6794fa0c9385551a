"""Logging in and out, each role's home page, password change, the profile form, the
placement rules of User, the role groups and the API token endpoint."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from safetyportal.accounts.models import EmailFrequency, Role, User
from safetyportal.accounts.roles import ROLE_MODEL_PERMISSIONS, group_name
from safetyportal.accounts.services import create_portal_user
from safetyportal.audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

LOGIN_URL = reverse("login")
HOME_URL = reverse("home")
PROFILE_URL = reverse("profile")
TOKEN_URL = reverse("api-token")


def heading(response) -> str:
    match = re.search(r'data-testid="home-heading">([^<]+)<', response.content.decode())
    assert match, "no home heading"
    return match.group(1).strip()


def login(user, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": password})
    assert response.status_code == 302, "login failed"
    assert response.url == HOME_URL
    return client


# --- login, home, logout ----------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_shown_to_anonymous_users(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert "用户名" in response.content.decode() and "密码" in response.content.decode()


def test_wrong_password_shows_a_chinese_error(client, town_official):
    response = client.post(LOGIN_URL, {"username": "town_official", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, town_official):
    town_official.is_active = False
    town_official.save(update_fields=["is_active"])
    response = client.post(LOGIN_URL, {"username": "town_official", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_next_within_the_site(client, town_official):
    url = reverse("enterprises:list")
    response = client.post(
        f"{LOGIN_URL}?next={url}", {"username": "town_official", "password": PASSWORD, "next": url}
    )
    assert response.url == url
    evil = Client().post(
        LOGIN_URL,
        {"username": "town_official", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert evil.url == HOME_URL


def test_logged_in_user_visiting_login_goes_home(town_official, client_for):
    response = client_for(town_official).get(LOGIN_URL)
    assert response.status_code == 302
    assert response.url == HOME_URL


HOMES = [
    ("county_officer", "dashboard/home_county.html", "县安委办工作台"),
    ("leader", "dashboard/home_county.html", "领导工作台"),
    ("department_official", "dashboard/home_department.html", "应急管理局工作台"),
    ("town_official", "dashboard/home_town.html", "小渡口镇工作台"),
    ("enterprise_manager", "dashboard/home_enterprise.html", "小渡口建筑工程公司"),
    ("expert", "dashboard/home_expert.html", "专家工作台"),
]


@pytest.mark.parametrize(("persona", "template", "title"), HOMES)
def test_login_then_home_shows_the_roles_home(persona, template, title, request):
    client = login(request.getfixturevalue(persona))
    response = client.get(HOME_URL)
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert heading(response) == title


def test_every_role_has_a_different_home_heading(request):
    headings = {heading(login(request.getfixturevalue(p)).get(HOME_URL)) for p, _, _ in HOMES}
    assert len(headings) == len(HOMES)


def test_home_figures_follow_the_users_scope(county, town_official, county_officer, client_for):
    town_home = client_for(town_official).get(HOME_URL)
    assert town_home.context["enterprise_totals"] == {"total": 2, "high_risk": 1}
    county_home = client_for(county_officer).get(HOME_URL)
    assert county_home.context["enterprise_totals"] == {"total": 4, "high_risk": 1}
    assert county_home.context["unsupervised_count"] == 0
    assert county_home.context["supervision_map"] == county.supervision_map


def test_county_home_counts_enterprises_without_a_supervising_department(
    county, county_officer, client_for
):
    from tests.factories import EnterpriseFactory, IndustryFactory

    EnterpriseFactory(town=county.town, industry=IndustryFactory(name="储能电站"))
    response = client_for(county_officer).get(HOME_URL)
    assert response.context["unsupervised_count"] == 1


def test_an_outsider_is_told_their_account_has_no_role(county, outsider, client_for):
    response = client_for(outsider).get(HOME_URL)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "dashboard/home_no_role.html"
    page = response.content.decode()
    assert "账号未分配角色" in page
    assert "towns" not in response.context
    assert county.xdk_chem.name not in page


@pytest.mark.django_db
def test_anonymous_home_redirects_to_login(client):
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/"


def test_logout_is_post_only(town_official):
    client = login(town_official)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(HOME_URL).status_code == 200  # still logged in
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert client.get(HOME_URL).status_code == 302


# --- password change -------------------------------------------------------------------------


def test_password_change_works(town_official):
    client = login(town_official)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Xdk-anquan-2027",
            "new_password2": "Xdk-anquan-2027",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert "密码已修改" in client.get(response.url).content.decode()
    assert client.get(HOME_URL).status_code == 200  # the session survives the change
    login(town_official, "Xdk-anquan-2027")
    assert (
        Client().post(LOGIN_URL, {"username": "town_official", "password": PASSWORD}).status_code
        == 200
    )


def test_password_change_with_a_wrong_old_password_is_refused(town_official, client_for):
    response = client_for(town_official).post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Xdk-anquan-2027",
            "new_password2": "Xdk-anquan-2027",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    town_official.refresh_from_db()
    assert town_official.check_password(PASSWORD)


def test_password_change_rejects_a_weak_password(town_official, client_for):
    response = client_for(town_official).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


# --- profile ----------------------------------------------------------------------------------


def test_profile_shows_role_and_unit(town_official, client_for):
    html = client_for(town_official).get(PROFILE_URL).content.decode()
    assert "镇街" in html and "小渡口镇" in html


def test_profile_requires_an_email_unless_never(town_official, client_for):
    client = client_for(town_official)
    for frequency in (EmailFrequency.IMMEDIATE, EmailFrequency.DAILY_DIGEST):
        response = client.post(PROFILE_URL, {"email": "", "email_frequency": frequency})
        assert response.status_code == 200
        assert response.context["form"].errors["email"] == ["选择接收邮件时必须填写电子邮箱。"]
        assert "选择接收邮件时必须填写电子邮箱。" in response.content.decode()
    town_official.refresh_from_db()
    assert town_official.email == "town_official@example.cn"
    assert not AuditEvent.objects.filter(verb="user.preferences_changed").exists()

    response = client.post(PROFILE_URL, {"email": "", "email_frequency": EmailFrequency.NEVER})
    assert response.status_code == 302
    town_official.refresh_from_db()
    assert (town_official.email, town_official.email_frequency) == ("", EmailFrequency.NEVER)


def test_profile_rejects_a_bad_email_and_an_unknown_frequency(town_official, client_for):
    client = client_for(town_official)
    response = client.post(PROFILE_URL, {"email": "not-an-address", "email_frequency": "hourly"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "email_frequency"}


def test_profile_change_is_saved_and_audited(town_official, client_for):
    response = client_for(town_official).post(
        PROFILE_URL,
        {"email": "sun@lixian.gov.cn", "email_frequency": EmailFrequency.IMMEDIATE},
        follow=True,
    )
    assert "个人设置已保存。" in response.content.decode()
    town_official.refresh_from_db()
    assert town_official.email == "sun@lixian.gov.cn"
    assert town_official.email_frequency == EmailFrequency.IMMEDIATE
    event = AuditEvent.objects.for_object(town_official).get(verb="user.preferences_changed")
    assert event.actor == town_official
    assert event.payload == {
        "before": {"email_frequency": "daily", "email": "town_official@example.cn"},
        "after": {"email_frequency": "immediate", "email": "sun@lixian.gov.cn"},
    }


@pytest.mark.parametrize("method", ["put", "delete"])
def test_profile_refuses_other_methods(method, town_official, client_for):
    assert getattr(client_for(town_official), method)(PROFILE_URL).status_code == 405


# --- placement rules -----------------------------------------------------------------------


def placement_errors(**fields) -> dict:
    user = User(username="x", **fields)
    try:
        user.clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_placement_rules(county):
    office, town, subdistrict, department = (
        county.office,
        county.town,
        county.other_town,
        county.department,
    )
    enterprise = county.xdk_chem
    assert placement_errors(role=Role.TOWN, organisation=town) == {}
    assert placement_errors(role=Role.TOWN, organisation=subdistrict) == {}
    assert placement_errors(role=Role.TOWN) == {"organisation": ["该角色必须指定所属单位。"]}
    assert placement_errors(role=Role.TOWN, organisation=department) == {
        "organisation": ["“应急管理局”不是该角色可以归属的单位类型。"]
    }
    assert placement_errors(role=Role.DEPARTMENT, organisation=department) == {}
    assert "organisation" in placement_errors(role=Role.DEPARTMENT, organisation=town)
    assert placement_errors(role=Role.COUNTY_OFFICE, organisation=office) == {}
    assert "organisation" in placement_errors(role=Role.COUNTY_OFFICE, organisation=town)
    assert placement_errors(role=Role.ENTERPRISE, enterprise=enterprise) == {}
    assert placement_errors(role=Role.ENTERPRISE) == {"enterprise": ["企业用户必须指定所属企业。"]}
    assert placement_errors(role=Role.ENTERPRISE, enterprise=enterprise, organisation=town) == {
        "organisation": ["企业用户不属于机关单位，请留空所属单位。"]
    }
    assert placement_errors(role=Role.TOWN, organisation=town, enterprise=enterprise) == {
        "enterprise": ["只有企业用户可以指定所属企业。"]
    }
    assert placement_errors(role=Role.LEADER) == {}
    assert placement_errors(role=Role.EXPERT) == {}


def test_database_refuses_an_enterprise_on_a_non_enterprise_user(county):
    user = User(
        username="bad", role=Role.TOWN, organisation=county.town, enterprise=county.xdk_chem
    )
    with (
        pytest.raises(IntegrityError, match="user_enterprise_only_for_enterprise_role"),
        transaction.atomic(),
    ):
        user.save()
    assert not User.objects.filter(username="bad").exists()


def test_create_portal_user_places_groups_and_audits(county, county_officer):
    user = create_portal_user(
        actor=county_officer,
        username="xdk2",
        password=PASSWORD,
        role=Role.TOWN,
        display_name="钱干事",
        organisation=county.town,
    )
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.TOWN)]
    assert not user.is_staff
    event = AuditEvent.objects.for_object(user).get()
    assert (event.verb, event.actor) == ("user.created", county_officer)
    assert event.payload == {"role": "town", "organisation": "小渡口镇", "enterprise": ""}


def test_create_portal_user_refuses_a_bad_placement_and_saves_nothing(county, county_officer):
    with pytest.raises(ValidationError):
        create_portal_user(
            actor=county_officer,
            username="bad",
            password=None,
            role=Role.TOWN,
            organisation=county.department,
        )
    with pytest.raises(ValueError, match="unknown role"):
        create_portal_user(actor=county_officer, username="bad", password=None, role="mayor")
    assert not User.objects.filter(username="bad").exists()


def test_county_office_staff_get_admin_access(county, county_officer):
    user = create_portal_user(
        actor=county_officer,
        username="awb2",
        password=None,
        role=Role.COUNTY_OFFICE,
        organisation=county.office,
    )
    assert user.is_staff
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_role_groups_carry_exactly_the_listed_permissions():
    for role in Role:
        group = Group.objects.get(name=group_name(role))
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(ROLE_MODEL_PERMISSIONS.get(role, [])), role


def test_role_properties(county_officer, leader, town_official, enterprise_manager, outsider):
    assert county_officer.sees_whole_county and leader.sees_whole_county
    assert not town_official.sees_whole_county
    assert leader.is_read_only and not county_officer.is_read_only
    assert town_official.place_label == "小渡口镇"
    assert enterprise_manager.place_label == "小渡口建筑工程公司"
    assert outsider.place_label == ""
    assert town_official.has_role(Role.TOWN, Role.DEPARTMENT)
    assert not outsider.has_role(Role.TOWN)


# --- API token ----------------------------------------------------------------------------


def test_token_endpoint_returns_a_token_for_good_credentials(town_official):
    client = APIClient()
    response = client.post(
        TOKEN_URL, {"username": "town_official", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    again = client.post(
        TOKEN_URL, {"username": "town_official", "password": PASSWORD}, format="json"
    )
    assert again.json()["token"] == token
    assert (
        AuditEvent.objects.for_object(town_official).filter(verb="user.token_issued").count() == 1
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "town_official", "password": "wrong"},
        {"username": "nobody", "password": "x"},
        {},
    ],
)
def test_token_endpoint_refuses_bad_credentials_with_400(payload, town_official):
    response = APIClient().post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_endpoint_accepts_only_post(db):
    assert APIClient().get(TOKEN_URL).status_code == 405


def test_the_token_authenticates_api_calls(county, town_official):
    token = (
        APIClient()
        .post(TOKEN_URL, {"username": "town_official", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {
        county.xdk_chem.name,
        county.xdk_build.name,
    }
    assert APIClient().get("/api/v1/enterprises/").status_code in (401, 403)


def test_session_login_also_authenticates_api_calls(county, town_official):
    client = login(town_official)
    assert client.get("/api/v1/enterprises/").json()["count"] == 2


def test_an_outsider_without_a_password_cannot_get_a_token(db):
    user = UserFactory(username="nopw")
    user.set_unusable_password()
    user.save()
    assert APIClient().post(TOKEN_URL, {"username": "nopw", "password": ""}).status_code == 400
