"""Over-long integers in links answer 400, and SQLite (the demo) waits for a lock however
it is configured (issue 8 item 28)."""

from __future__ import annotations

import textwrap

import pytest
from django.urls import reverse

from tests.test_settings_env import start

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/hazards/risks/?enterprise={HUGE}",
        f"/hazards/{HUGE}/",
        f"/enterprises/{HUGE}/",
        f"/hazards/?town={HUGE}",
        f"/api/v1/hazards/?town={HUGE}",
        f"/hazards/risks/?page={HUGE}",
    ],
)
def test_an_integer_no_id_can_hold_answers_400(client_for, county_officer, url):
    response = client_for(county_officer).get(url)
    assert response.status_code == 400
    assert "超出范围" in response.content.decode()


def test_the_api_answers_its_own_json_for_an_integer_no_id_can_hold(api_client_for, county_officer):
    client = api_client_for(county_officer)
    # in the path it names no record: the API's 404 (ADR 0044)
    response = client.get(f"/api/v1/risk-points/{HUGE}/")
    assert response.status_code == 404
    assert "超出范围" in response.json()["detail"]
    # in the query string it is bad input for that parameter: the API's 400 body
    response = client.get(f"/api/v1/hazards/?town={HUGE}")
    assert response.status_code == 400
    assert "超出范围" in response.json()["town"][0]


def test_ordinary_long_numbers_still_pass(client_for, county_officer):
    # an 18-digit USCC-like search and the largest id are fine
    response = client_for(county_officer).get(reverse("enterprises:list"), {"q": "9" * 18})
    assert response.status_code == 200
    response = client_for(county_officer).get(f"/hazards/{2**63 - 1}/")
    assert response.status_code == 404


def test_an_oversized_integer_in_a_json_body_answers_400(
    api_client_for, county, enterprise_manager
):
    response = api_client_for(enterprise_manager).post(
        "/api/v1/risk-points/",
        f'{{"enterprise": {HUGE}, "name": "x"}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "超出范围" in response.json()["detail"][0]


SQLITE_OPTIONS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "o = s.DATABASES['default']['OPTIONS']; print(o['timeout'], o['transaction_mode'])"
)


@pytest.mark.parametrize("database_url", [None, "sqlite:///{tmp}/other.sqlite3"])
def test_sqlite_gets_the_lock_timeout_however_it_is_configured(tmp_path, database_url):
    env = {"DEBUG": "1"}
    if database_url:
        env["DATABASE_URL"] = database_url.format(tmp=tmp_path)
    result = start(tmp_path, SQLITE_OPTIONS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["20", "IMMEDIATE"]


SQLITE_DEMO = textwrap.dedent(
    """
    import sqlite3, threading, time
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    call_command("migrate", verbosity=0)
    from safetyportal.accounts.models import Role, User
    from responsibilities.models import Organisation
    user = User.objects.create_user("office", password="x", role=Role.COUNTY_OFFICE)
    client = Client()
    client.force_login(user)
    print(client.get("/hazards/risks/?enterprise=99999999999999999999").status_code)
    # a second writer holds the write lock for 6 s (Python's default timeout is 5 s)
    held = threading.Event()
    def other_writer():
        other = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(6)
        other.execute("COMMIT")
    thread = threading.Thread(target=other_writer)
    thread.start()
    held.wait()
    with transaction.atomic():
        Organisation.objects.count()
        Organisation.objects.create(code="T1", name="测试", kind="town")
    thread.join()
    print("written")
    """
)


def test_sqlite_demo_survives_an_oversized_filter_and_a_second_writer(tmp_path):
    result = start(
        tmp_path,
        SQLITE_DEMO,
        DATABASE_URL=f"sqlite:///{tmp_path}/demo.sqlite3",
        SECRET_KEY="sqlite-test",
        ALLOWED_HOSTS="testserver",
        # the test client speaks plain HTTP to a non-loopback host (ADR 0045 would redirect)
        SECURE_SSL_REDIRECT="false",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["400", "written"]
