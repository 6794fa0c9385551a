"""Production settings pass `manage.py check --deploy` with no warning, and the HTTPS
settings a TLS-terminating proxy needs come from the environment (ADR 0045)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
# a key as long and varied as `check --deploy` asks (security.W009), made up for the test
PRODUCTION_KEY = "k7#Qz!p2Lm9xV4rT8bN1cW6yH3jF0sD5gA7eU2iO9kP4lZ8qX1vB6nM3tR0wE5yC-"

PRINT_HTTPS_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
    "s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.X_FRAME_OPTIONS, "
    "s.SECURE_REFERRER_POLICY, s.SECURE_CONTENT_TYPE_NOSNIFF, sep='|')"
)


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    """The environment of a production server as README.md's "Production" section has it."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "safetyportal.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PORTAL_DATA_DIR": str(tmp_path),
        "SECRET_KEY": PRODUCTION_KEY,
        "DATABASE_URL": "sqlite://:memory:",
        "ALLOWED_HOSTS": "aq.lixian.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://aq.lixian.gov.cn",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        **extra,
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_defaults_are_https_with_secure_cookies_and_headers(tmp_path):
    result = run(["-c", PRINT_HTTPS_SETTINGS], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "True",  # SECURE_SSL_REDIRECT
        "31536000",  # HSTS: a year
        "True",  # SESSION_COOKIE_SECURE
        "True",  # CSRF_COOKIE_SECURE
        "True",  # SESSION_COOKIE_HTTPONLY
        "True",  # CSRF_COOKIE_HTTPONLY
        "Lax",
        "DENY",
        "same-origin",
        "True",  # nosniff
    ]


def test_the_https_settings_follow_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme: HTTPS",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
    )
    result = run(["-c", PRINT_HTTPS_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("|")[:3] == ["('HTTP_X_FORWARDED_SCHEME', 'HTTPS')", "False", "3600"]
    # switched off on purpose: the deploy check says so
    checked = deploy_check(env)
    assert checked.returncode != 0
    assert "security.W008" in checked.stderr


def test_the_demo_on_loopback_keeps_plain_http(tmp_path):
    env = production_env(tmp_path, PORTAL_DEMO="1", ALLOWED_HOSTS="127.0.0.1,localhost")
    del env["SECURE_PROXY_SSL_HEADER"]
    result = run(["-c", PRINT_HTTPS_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("|")[:5] == ["None", "False", "0", "False", "False"]


@pytest.mark.parametrize("value", ["X Forwarded Proto", "X-Forwarded-Proto: ht tps", ":https"])
def test_a_malformed_proxy_header_stops_the_server_naming_the_variable(tmp_path, value):
    result = run(
        ["-c", "import django; django.setup()"],
        production_env(tmp_path, SECURE_PROXY_SSL_HEADER=value),
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(
        "django.core.exceptions.ImproperlyConfigured: SECURE_PROXY_SSL_HEADER"
    )


@pytest.mark.django_db
def test_pages_carry_the_security_headers_and_cookie_flags(client, county_officer):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    county_officer.set_password("Cookie-Test-2026")
    county_officer.save(update_fields=["password"])
    signed_in = client.post(
        reverse("login"), {"username": county_officer.username, "password": "Cookie-Test-2026"}
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_the_proxy_https_requests_pass_and_plain_ones_are_redirected(client):
    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert client.get(reverse("login"), headers={"x-forwarded-proto": "https"}).status_code == 200
    # the load balancer's health check is answered over plain HTTP
    assert client.get(reverse("healthz")).status_code in {200, 503}
