"""The demo never runs on a key published in the source, and its cookies travel over plain
HTTP only on this machine (issue 8 item 29)."""

from __future__ import annotations

import stat

from tests.test_settings_env import start

PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECRET_KEY); print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)
PUBLISHED_KEY = "insecure-demo-key-do-not-use-in-production"


def test_demo_generates_a_private_key_on_first_run_and_keeps_it(tmp_path):
    first = start(tmp_path, PRINT, PORTAL_DEMO="1", DEBUG="0")
    assert first.returncode == 0, first.stderr
    key = first.stdout.split()[0]
    assert key != PUBLISHED_KEY and len(key) >= 50
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = start(tmp_path, PRINT, PORTAL_DEMO="1", DEBUG="0")
    assert second.stdout.split()[0] == key  # sessions survive a restart


def test_each_installation_gets_its_own_key(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    keys = {start(d, PRINT, DEBUG="1").stdout.split()[0] for d in (one, two)}
    assert len(keys) == 2 and PUBLISHED_KEY not in keys


def test_an_empty_key_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "secret_key").write_text("")
    result = start(tmp_path, PRINT, PORTAL_DEMO="1")
    assert result.returncode != 0
    assert "secret_key is empty" in result.stderr


def test_an_explicit_secret_key_is_used_and_no_file_is_written(tmp_path):
    result = start(tmp_path, PRINT, PORTAL_DEMO="1", SECRET_KEY="from-the-environment")
    assert result.stdout.split()[0] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_demo_cookies_are_plain_only_on_loopback(tmp_path):
    loopback = start(tmp_path, PRINT, PORTAL_DEMO="1", ALLOWED_HOSTS="127.0.0.1,localhost")
    assert loopback.stdout.split()[1:] == ["False", "False"]
    public = start(tmp_path, PRINT, PORTAL_DEMO="1", ALLOWED_HOSTS="demo.example.cn")
    assert public.stdout.split()[1:] == ["True", "True"]
    told = start(
        tmp_path, PRINT, PORTAL_DEMO="1", ALLOWED_HOSTS="demo.example.cn", SECURE_COOKIES="0"
    )
    assert told.stdout.split()[1:] == ["False", "False"]
