"""The API keeps to its own schema under a schema-driven fuzzer (issue 14 item 2, ADR 0044).

Schemathesis reads /api/schema/ and, for every operation it finds at run time and as each
role's demo login, sends seeded cases that fit the schema and cases that break it: no
answer is a 5xx, every answer is a documented status with a body that matches what the
schema says for it, and input that breaks the schema is refused with a 4xx.

The world is the demo (`load_demo`: every kind of record, in and out of each role's
jurisdiction), loaded once for the module in a transaction rolled back afterwards; every
case runs in a savepoint rolled back after it, so the state-changing operations are fuzzed
on the same world each time.

`make test` sends one case per operation and role (a positive and a negative one in turn,
so neighbouring roles cover both for every operation); `make fuzz` sends FUZZ_EXAMPLES
(25 by default there) of each kind per operation and role.
"""

from __future__ import annotations

import io
import os
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from safetyportal.accounts.models import User
from safetyportal.dashboard.management.commands import load_demo
from tests.fuzz.fuzzing import fuzz, in_process, load_schema

# unset: the bounded run of `make test` (one case per operation and role, positive and
# negative in turn); `make fuzz` sets it (FUZZ_EXAMPLES of each kind per operation)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
# one demo login per role (safetyportal/dashboard/management/commands/load_demo.py)
ROLES = {
    "county_office": "county",
    "leader": "leader",
    "department": "dept_yjj",
    "town": "town_xdk",
    "enterprise": "enterprise",
    "expert": "expert",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """`load_demo` once for the module, rolled back after it: a registry of 390 enterprises
    (REGISTRY_SCALE 1 instead of 13) carries every kind of record and is quick to load."""
    with (
        mock.patch.object(load_demo, "REGISTRY_SCALE", 1),
        django_db_blocker.unblock(),
        override_settings(DEBUG=False, DEMO_MODE=True),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        connection.check_constraints()
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(ROLES))
def test_the_api_keeps_to_its_schema_for_every_operation(world, db, role):
    user = User.objects.get(username=ROLES[role])
    with in_process() as app:
        schema = load_schema(app, user)
        if EXAMPLES:
            report = fuzz(schema, user, examples=EXAMPLES)
        else:
            report = fuzz(schema, user, examples=1, alternate=list(ROLES).index(role))
    print(f"\nfuzz {role}: {report.summary()}")
    if os.environ.get("FUZZ_REPORT"):
        with open(f"{os.environ['FUZZ_REPORT']}-{role}.txt", "w") as out:
            out.write(f"{report.summary()}\n{report.details(limit=10_000)}\n")
    # every operation of the schema was sent cases, positive and negative
    assert report.operations == len(list(schema.get_all_operations()))
    assert report.operations > 100
    assert report.examples >= report.operations
    assert not report.failures, f"{role}: {report.summary()}\n{report.details()}"


def test_the_fuzzer_sees_a_server_error_and_an_undocumented_answer(world, db, monkeypatch):
    """The harness is not blind: an operation that fails gets reported."""
    from enterprises.registry import api as registry_api

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(registry_api.EnterpriseViewSet, "list", broken)
    user = User.objects.get(username=ROLES["county_office"])
    with in_process() as app:
        schema = load_schema(app, user)
        only = schema.include(path="/api/v1/enterprises/", method="GET")
        report = fuzz(only, user, examples=1)
    assert report.operations == 1
    assert any(key[2] == 500 for key in report.failures), report.details()
