"""Repeated wrong passwords lock the username from that address (django-axes)."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD

LOGIN_URL = "/accounts/login/"


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def attempt(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(
    lockout, client, town_official
):
    for _ in range(4):
        response = attempt(client, town_official.username, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    locked = attempt(client, town_official.username, "wrong-password")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    again = attempt(client, town_official.username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_affects_only_that_username(lockout, client, town_official, county_officer):
    for _ in range(5):
        attempt(client, town_official.username, "wrong-password")
    response = attempt(client, county_officer.username, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == county_officer.pk


def test_a_successful_login_resets_the_count(lockout, client, town_official):
    for _ in range(4):
        attempt(client, town_official.username, "wrong-password")
    assert attempt(client, town_official.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert attempt(client, town_official.username, "wrong-password").status_code == 200


def test_the_token_endpoint_counts_and_honours_the_lockout(lockout, town_official):
    api = APIClient()
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": town_official.username, "password": "x"})
    response = api.post(
        "/api/v1/auth/token/", {"username": town_official.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert "token" not in response.json()
