"""Two people acting on the same hazard at once: exactly one succeeds (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection

from hazards import services
from hazards.models import Hazard, HazardStatus, StepNotAllowed, Verification
from tests.factories import CountyOfficerFactory, evidence_photo


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_only_one_succeeds(hazard, enterprise_manager, town_official, county):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (row locks)")
    second = CountyOfficerFactory(username="county_b", organisation=county.office)
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def verify(actor, passed):
        try:
            barrier.wait(timeout=10)
            services.verify_rectification(
                actor=actor, hazard_id=hazard.pk, passed=passed, opinion="现场核查"
            )
            outcomes.append("ok")
        except StepNotAllowed as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=verify, args=(town_official, True)),
        threading.Thread(target=verify, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "ok"
    assert outcomes.count("ok") == 1
    assert "不能执行" in [o for o in outcomes if o != "ok"][0]
    assert Verification.objects.filter(hazard=hazard).count() == 1
    status = Hazard.objects.get(pk=hazard.pk).status
    assert status in (HazardStatus.CLOSED, HazardStatus.RECTIFYING)


@pytest.mark.django_db(transaction=True)
def test_two_first_bulletins_at_once_both_succeed_with_distinct_numbers(county_officer, county):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (advisory locks)")
    from hazards.models import Bulletin

    second = CountyOfficerFactory(username="county_b", organisation=county.office)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def generate(actor):
        try:
            barrier.wait(timeout=10)
            services.generate_bulletin(actor=actor)
            outcomes.append("ok")
        except (DatabaseError, StepNotAllowed) as error:  # the race shows up as either
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=generate, args=(a,)) for a in (county_officer, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["ok", "ok"]
    bulletins = list(Bulletin.objects.order_by("number"))
    assert [b.number for b in bulletins] == [1, 2]
    assert bulletins[1].period_start == bulletins[0].created_at
