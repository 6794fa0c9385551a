"""The set-based escalation sweep (issue 9): its queries do not grow with the number of
hazards; two concurrent runs claim each level once; a failure mid-sweep rolls a batch's
claims back with their notices; the bulk notices and audit events read as the
per-hazard ones did."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hazards import escalation
from hazards.models import EscalationGap, Hazard
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import Notification
from tests.factories import DepartmentUserFactory
from tests.hazards.conftest import days


@pytest.fixture
def people(county, county_officer, town_official, enterprise_manager):
    return {
        "enterprise": enterprise_manager,
        "town": town_official,
        "department": DepartmentUserFactory(organisation=county.other_department),
        "county": county_officer,
    }


def clones(base: Hazard, n: int, **fields) -> list[Hazard]:
    """`n` copies of `base` (one INSERT), with `fields` changed."""
    rows = []
    for _ in range(n):
        row = Hazard.objects.get(pk=base.pk)
        row.pk = None
        for name, value in fields.items():
            setattr(row, name, value)
        rows.append(row)
    return Hazard.objects.bulk_create(rows)


def overdue_mix(hazard: Hazard, lonely: Hazard, n: int) -> None:
    """`n` hazards one step below each level (all far overdue), and `n` of an enterprise
    without an account (their reminder falls through to the town, and leaves a gap)."""
    for level in range(escalation.COUNTY):
        clones(hazard, n, deadline=days(-30), escalation_level=level)
    clones(lonely, n, deadline=days(-30), escalation_level=0)


def escalated(hazard_ids=None):
    events = AuditEvent.objects.filter(verb="hazard.escalated")
    if hazard_ids is not None:
        events = events.filter(target_id__in=hazard_ids)
    return list(events.values_list("target_id", "payload__level"))


def test_the_sweep_costs_the_same_queries_for_5_and_50_hazards(report, county, people):
    base = report()
    lonely = report(enterprise=county.xdk_chem)  # no enterprise account
    today = timezone.localdate()
    Hazard.objects.filter(pk__in=[base.pk, lonely.pk]).update(deadline=days(60))  # not due

    overdue_mix(base, lonely, 1)
    with CaptureQueriesContext(connection) as few:
        assert escalation.run_escalation(today) == 5
    overdue_mix(base, lonely, 10)
    with CaptureQueriesContext(connection) as many:
        # the 5 of the first run climb one more level (4 of them: one is at the top)
        assert escalation.run_escalation(today) == 50 + 4
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 40  # about nine per level, whatever the count

    # and the sweep did what the per-hazard ladder did: one event per claimed level, the
    # notices went out, the lonely enterprise's reminder reached the town with a gap
    claimed = escalated()
    assert len(claimed) == len(set(claimed)) == 5 + 54
    town_reminders = Notification.objects.filter(
        recipient=people["town"], dedupe_key__contains=":escalation:1:"
    )
    assert town_reminders.count() == 11
    assert EscalationGap.objects.filter(level=escalation.REMINDER).count() == 11
    assert Notification.objects.filter(recipient=people["county"]).count() == 1 + 10 + 1
    # another run: every hazard below the top climbs once more (30 + 10 of the second
    # batch, 2 + 1 of the first), each event once
    assert escalation.run_escalation(today) == 30 + 10 + 2 + 1
    assert len(escalated()) == len(set(escalated()))


def test_the_bulk_notices_and_events_read_as_the_per_hazard_ones(hazard, people):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-30), escalation_level=3)
    hazard.refresh_from_db()
    escalation.run_escalation(timezone.localdate())
    notice = Notification.objects.get(recipient=people["county"])
    title, body = escalation._message(
        Hazard.objects.select_related("enterprise", "town").get(pk=hazard.pk),
        escalation.COUNTY,
        timezone.localdate(),
    )
    assert (notice.title, notice.body) == (title, body)
    assert notice.url == f"/hazards/{hazard.pk}/"
    assert notice.dedupe_key == f"hazard:{hazard.pk}:escalation:4:{hazard.deadline.isoformat()}"
    assert not notice.email_skipped  # the officer has an address and the daily digest
    [event] = AuditEvent.objects.for_object(hazard).filter(verb="hazard.escalated")
    assert event.actor is None
    assert event.target_repr.startswith(hazard.code)
    assert event.payload == {
        "level": 4,
        "delivered_to": 4,
        "note": f"{escalation.LEVEL_LABELS[4]}：{title}（通知 1 人）",
    }


def test_recipients_in_bulk_are_those_of_each_hazard(
    report, county, people, major, other_town_official
):
    """recipients_by_hazard (per scope, for the batch) == recipients_for (per hazard)."""
    hazards = [
        report(),
        report(enterprise=county.xdk_chem),
        report(enterprise=county.ly_chem, actor=other_town_official),
        report(enterprise=county.ly_build, actor=other_town_official),
        major,  # its slip names the supervising department
    ]
    hazards = list(
        Hazard.objects.filter(pk__in=[h.pk for h in hazards]).select_related("slip").order_by("pk")
    )
    for level in (escalation.REMINDER, escalation.TOWN, escalation.DEPARTMENT, escalation.COUNTY):
        bulk = escalation.recipients_by_hazard(hazards, level)
        for hazard in hazards:
            expected = sorted(escalation.recipients_for(hazard, level), key=lambda u: u.pk)
            assert bulk[hazard.pk] == expected, (level, hazard.pk)


def test_the_level_thresholds_match_target_level(settings):
    """The claim's deadline condition for each level is exactly target_level() >= level,
    also with uneven settings."""
    import datetime

    today = timezone.localdate()
    for values in [(3, 1, 7, 15), (0, 5, 2, 15), (10, 20, 20, 1)]:
        (
            settings.HAZARD_REMINDER_DAYS_BEFORE,
            settings.HAZARD_ESCALATE_TOWN_DAYS,
            settings.HAZARD_ESCALATE_DEPARTMENT_DAYS,
            settings.HAZARD_ESCALATE_COUNTY_DAYS,
        ) = values
        for offset in range(-40, 40):
            hazard = Hazard(deadline=today + datetime.timedelta(days=offset))
            for level in range(1, escalation.COUNTY + 1):
                due = hazard.deadline <= escalation._latest_deadline(level, today)
                assert due == (escalation.target_level(hazard, today) >= level), (values, offset)


def test_a_failure_mid_sweep_leaves_no_claim_without_its_notice(
    report, county, people, monkeypatch
):
    """Claim and notify share each batch's transaction: the batch that fails is rolled back
    whole (no level claimed without its notice and audit event), the earlier ones stand,
    and the next run finishes the work, nothing twice."""
    base = report()
    Hazard.objects.filter(pk=base.pk).update(deadline=days(60))
    clones(base, 12, deadline=days(-30), escalation_level=0)
    monkeypatch.setattr(escalation, "BATCH_SIZE", 5)
    real = escalation.notify_bulk
    calls = []

    def failing(notices):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("mail store down")
        return real(notices)

    monkeypatch.setattr(escalation, "notify_bulk", failing)
    with pytest.raises(RuntimeError):
        escalation.run_escalation(timezone.localdate())
    claimed = set(Hazard.objects.filter(escalation_level=1).values_list("pk", flat=True))
    assert len(claimed) == 5  # the first batch
    noticed = {
        int(key.split(":")[1])
        for key in Notification.objects.filter(dedupe_key__startswith="hazard:").values_list(
            "dedupe_key", flat=True
        )
    }
    assert noticed == claimed
    assert {target for target, _ in escalated()} == claimed

    monkeypatch.setattr(escalation, "notify_bulk", real)
    # the rest's reminders, once; the first batch climbs on to the town as it would have
    assert escalation.run_escalation(timezone.localdate()) == 7 + 5
    assert set(Hazard.objects.filter(escalation_level=2).values_list("pk", flat=True)) == claimed
    assert Hazard.objects.filter(escalation_level=1).count() == 7
    reminders = Notification.objects.filter(dedupe_key__contains=":escalation:1:")
    assert reminders.filter(recipient=people["enterprise"]).count() == 12
    assert len(escalated()) == len(set(escalated())) == 12 + 5


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_claim_each_level_once(report, county, people, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (row locks)")
    base = report()
    Hazard.objects.filter(pk=base.pk).update(deadline=days(60))
    for level in range(escalation.COUNTY):
        clones(base, 15, deadline=days(-30), escalation_level=level)
    initial = dict(Hazard.objects.filter(deadline=days(-30)).values_list("pk", "escalation_level"))
    monkeypatch.setattr(escalation, "BATCH_SIZE", 4)  # many small transactions interleave
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(escalation.run_escalation(timezone.localdate()))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    claimed = escalated()
    # each (hazard, level) once, and the runs' claims add up to the events written
    assert len(claimed) == len(set(claimed)) == sum(results)
    assert sum(results) >= 60  # every hazard climbed at least one level
    for pk, final in Hazard.objects.filter(pk__in=initial).values_list("pk", "escalation_level"):
        # each hazard climbed once or twice (once per run at most), one event per level
        steps = sorted(lvl for target, lvl in claimed if target == pk)
        assert steps == list(range(initial[pk] + 1, final + 1))
        assert 1 <= len(steps) <= 2
    keys = list(
        Notification.objects.filter(dedupe_key__contains=":escalation:").values_list(
            "recipient_id", "dedupe_key"
        )
    )
    assert len(keys) == len(set(keys))
    assert len(keys) == sum(results)  # one recipient per level in this county
