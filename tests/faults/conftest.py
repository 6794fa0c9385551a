"""Fixtures of the fault tests: servers of their own (tests/faults/servers.py), and the
test process's Celery app pointed at one of them for real (not eager)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from safetyportal.celery import app as celery_app
from tests.faults.servers import PostgresServer, RedisServer


def database_url() -> str:
    """The URL of the test database, for processes the test starts."""
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_server():
    if connection.vendor != "postgresql":
        pytest.fail("the fault tests need PostgreSQL (make test sets DATABASE_URL)")
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.remove()


def _forget_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_at(redis_server):
    """This process's Celery app publishing for real to the test's own Redis, with one quick
    publish retry (a refused connection is known in well under a second)."""
    conf = celery_app.conf
    saved = {
        "task_always_eager": conf.task_always_eager,
        "broker_url": conf.broker_url,
        "broker_transport_options": conf.broker_transport_options,
        "task_publish_retry_policy": conf.task_publish_retry_policy,
        "broker_connection_timeout": conf.broker_connection_timeout,
    }
    conf.task_always_eager = False
    conf.broker_url = redis_server.url
    conf.broker_transport_options = {}
    conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0}
    conf.broker_connection_timeout = 1
    _forget_connections()
    try:
        yield redis_server
    finally:
        celery_app.pool.force_close_all()
        for key, value in saved.items():
            setattr(conf, key, value)
        _forget_connections()


@pytest.fixture
def secret_key() -> str:
    return settings.SECRET_KEY
