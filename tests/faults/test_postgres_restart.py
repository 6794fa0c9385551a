"""PostgreSQL restarted under load (issue 14 item 5): the portal (gunicorn, production
settings: kept connections with health checks) recovers by itself. The database server is
the test's own cluster (initdb on a free port) holding a copy of the test database; the
machine's PostgreSQL is not touched."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.faults.conftest import database_url
from tests.faults.probes import Load
from tests.faults.servers import WebServer, process_env, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_portal_recovers_from_a_database_restart_without_a_restart_of_its_own(
    postgres_server, secret_key, county, county_officer
):
    client = Client()
    client.force_login(county_officer)  # the session row is committed and copied below
    cookie = client.cookies["sessionid"].value
    portal_db = postgres_server.create_database_from(database_url(), "portal")
    web = WebServer(process_env(database_url=portal_db, secret_key=secret_key))
    try:
        load = Load(web.port, cookie, ["/", "/hazards/", "/enterprises/"], clients=3).start()
        assert wait_until(lambda: sum(o.status == 200 for o in load.outcomes) >= 6, 30)
        restart_began = time.monotonic()
        postgres_server.restart()
        restart_ended = time.monotonic()
        assert wait_until(
            lambda: sum(o.started > restart_ended and o.status == 200 for o in load.outcomes) >= 15,
            30,
        )
        outcomes = load.stop()
        assert web.process.poll() is None  # the same gunicorn served before and after
    finally:
        web.stop()

    before = [o for o in outcomes if o.started + o.seconds < restart_began]
    after = [o for o in outcomes if o.started > restart_ended]
    during = [o for o in outcomes if o not in before and o not in after]
    assert before and all(o.status == 200 for o in before)
    # every request sent once the database was back succeeded: no failed first request on
    # a dead kept connection (CONN_HEALTH_CHECKS), no portal restart
    assert after and all(o.status == 200 for o in after), [o.status for o in after]
    failed = [o for o in during if o.status != 200]
    print(
        f"\nPostgreSQL restart: {restart_ended - restart_began:.2f} s; requests before "
        f"{len(before)}, during {len(during)} ({len(failed)} failed), after {len(after)} "
        "(0 failed)"
    )
