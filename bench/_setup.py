"""Shared set-up for benchmarks: a throwaway PostgreSQL database, migrated, with the
county's reference data. Benchmarks print figures; they are not tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/safetyportal_bench"


def setup_django(*, prepare: bool = True) -> None:
    url = os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("PORTAL_DEMO", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["DJANGO_SETTINGS_MODULE"] = "safetyportal.settings"
    sys.path.insert(0, str(ROOT))
    # production settings serve collected static files; benchmarks collect none
    (ROOT / "staticfiles").mkdir(exist_ok=True)
    _create_database(url)
    import django

    django.setup()
    if not prepare:
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)


def _create_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        return
    import psycopg2

    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
