"""Bad settings stop the portal at start with a message naming the variable; the defaults
give the embedded demo (SQLite, filesystem broker). Plus the env helpers themselves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from safetyportal.env import env_bool, env_int, env_list, env_str, env_url

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); print(s.DEBUG)"
)


def start(tmp_path, code: str = "import django; django.setup()", **env: str):
    """Start Django in a fresh interpreter with exactly `env` (plus PATH and the data dir)."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "safetyportal.settings",
        "PORTAL_DATA_DIR": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_refused(result, *words: str) -> None:
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    for word in words:
        assert word in last_line, last_line


def test_production_without_secret_key_refuses_to_start(tmp_path):
    assert_refused(start(tmp_path, DEBUG="0"), "SECRET_KEY")


def test_an_empty_secret_key_counts_as_missing(tmp_path):
    assert_refused(start(tmp_path, SECRET_KEY=""), "SECRET_KEY")


def test_a_bad_boolean_names_debug(tmp_path):
    assert_refused(start(tmp_path, DEBUG="maybe", SECRET_KEY="k"), "DEBUG", "'maybe'")


def test_an_unsupported_database_url_is_named(tmp_path):
    assert_refused(start(tmp_path, DEBUG="1", DATABASE_URL="mysql://x"), "DATABASE_URL", "'mysql'")


def test_a_non_redis_broker_url_is_named(tmp_path):
    assert_refused(start(tmp_path, DEBUG="1", REDIS_URL="http://x"), "REDIS_URL", "'http'")


@pytest.mark.parametrize("value", ["abc", "2"])
def test_a_bad_page_size_is_named(tmp_path, value):
    assert_refused(start(tmp_path, DEBUG="1", PORTAL_PAGE_SIZE=value), "PORTAL_PAGE_SIZE")


def test_debug_defaults_give_sqlite_and_the_filesystem_broker(tmp_path):
    result = start(tmp_path, PRINT_SETTINGS, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "True"]


def test_configured_services_are_used(tmp_path):
    result = start(
        tmp_path,
        PRINT_SETTINGS,
        SECRET_KEY="k",
        DATABASE_URL="postgres://u@db:5432/portal",
        REDIS_URL="redis://cache:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://cache:6379/0",
        "False",
    ]


# --- the helpers ------------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch):
    for name in ("X_BOOL", "X_INT", "X_LIST", "X_URL", "X_STR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" YES ", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(env, raw, expected):
    env.setenv("X_BOOL", raw)
    assert env_bool("X_BOOL", not expected) is expected


def test_env_bool_default_and_rejection(env):
    assert env_bool("X_BOOL", True) is True
    env.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL='maybe' is not a boolean"):
        env_bool("X_BOOL", False)


def test_env_int(env):
    assert env_int("X_INT", 7) == 7
    env.setenv("X_INT", " ")
    assert env_int("X_INT", 7) == 7
    env.setenv("X_INT", "42")
    assert env_int("X_INT", 7, minimum=5) == 42
    env.setenv("X_INT", "4")
    with pytest.raises(ImproperlyConfigured, match="X_INT=4 must be at least 5"):
        env_int("X_INT", 7, minimum=5)
    env.setenv("X_INT", "4.5")
    with pytest.raises(ImproperlyConfigured, match="X_INT='4.5' is not an integer"):
        env_int("X_INT", 7)
    env.setenv("X_INT", "101")
    with pytest.raises(ImproperlyConfigured, match="X_INT=101 must be at most 100"):
        env_int("X_INT", 60, minimum=0, maximum=100)
    env.setenv("X_INT", "100")
    assert env_int("X_INT", 60, minimum=0, maximum=100) == 100


def test_env_list(env):
    assert env_list("X_LIST", ["a"]) == ["a"]
    env.setenv("X_LIST", " a.example, ,b.example ,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    env.setenv("X_LIST", "")
    assert env_list("X_LIST", ["a"]) == []


def test_env_url(env):
    assert env_url("X_URL", schemes={"redis"}) is None
    env.setenv("X_URL", "  ")
    assert env_url("X_URL", schemes={"redis"}) is None
    env.setenv("X_URL", "redis://h:6379/1")
    assert env_url("X_URL", schemes={"redis", "rediss"}) == "redis://h:6379/1"
    env.setenv("X_URL", "amqp://h")
    with pytest.raises(
        ImproperlyConfigured, match="X_URL has scheme 'amqp'; expected one of: redis, rediss"
    ):
        env_url("X_URL", schemes={"redis", "rediss"})


def test_env_str(env):
    assert env_str("X_STR") is None
    assert env_str("X_STR", "d") == "d"
    env.setenv("X_STR", "")
    assert env_str("X_STR", "d") == ""


def test_the_embedded_brokers_folders_are_all_under_the_data_dir(tmp_path):
    """kombu's filesystem transport writes its exchange tables to ./control unless told
    otherwise; every folder it uses belongs under PORTAL_DATA_DIR (var/), none in the repo."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.CELERY_BROKER_TRANSPORT_OPTIONS; "
        "print('\\n'.join(o[k] for k in ('data_folder_in', 'data_folder_out', "
        "'processed_folder', 'control_folder')))"
    )
    result = start(tmp_path, code, DEBUG="1")
    assert result.returncode == 0, result.stderr
    folders = [Path(line) for line in result.stdout.split()]
    assert len(folders) == 4
    assert all(folder.is_relative_to(tmp_path) for folder in folders), folders
    assert not (ROOT / "control").exists()
