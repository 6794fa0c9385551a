"""notify_bulk (the sweeps' notify) and record_events (the sweeps' record_event): the same
rules as the one-at-a-time functions, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from safetyportal.accounts.models import EmailFrequency
from safetyportal.audit.models import AppendOnlyError, AuditEvent
from safetyportal.audit.services import record_event, record_events
from safetyportal.notifications import services
from safetyportal.notifications.models import Notification
from safetyportal.notifications.services import Notice, notify_bulk
from tests.factories import UserFactory


@pytest.fixture(params=["postgresql", "orm"])
def insert_path(request, monkeypatch):
    """Both ways notify_bulk inserts: PostgreSQL's INSERT ... ON CONFLICT and the ORM's
    bulk_create (SQLite, the demo)."""
    if request.param == "orm":
        monkeypatch.setattr(services, "_insert_returning", services._insert_with_orm)
    elif connection.vendor != "postgresql":
        pytest.fail("the PostgreSQL path needs PostgreSQL")
    return request.param


def users(n: int, frequency=EmailFrequency.DAILY_DIGEST, prefix="u"):
    return [
        UserFactory(
            username=f"{prefix}{i}", email=f"{prefix}{i}@example.cn", email_frequency=frequency
        )
        for i in range(n)
    ]


def test_each_key_once_per_recipient_across_and_within_calls(db, insert_path):
    first, second = users(2)
    notices = [
        Notice(recipient=first, title="a", dedupe_key="k1"),
        Notice(recipient=first, title="a", dedupe_key="k1"),  # twice in one call
        Notice(recipient=second, title="a", dedupe_key="k1"),
        Notice(recipient=first, title="b", dedupe_key="k2"),
    ]
    assert notify_bulk(notices) == 3
    assert notify_bulk(notices) == 0
    assert services.notify(recipient=first, title="a", dedupe_key="k1") is None
    assert Notification.objects.count() == 3
    # without a key every notice is new, as with notify()
    assert notify_bulk([Notice(recipient=first, title="c")] * 2) == 2
    assert Notification.objects.count() == 5


def test_rows_read_as_notify_writes_them(db, insert_path):
    active, skipped = users(2)
    skipped.email_frequency = EmailFrequency.NEVER
    inactive = UserFactory(username="gone", is_active=False)
    no_address = UserFactory(username="silent", email="")
    notices = [
        Notice(
            recipient=user,
            title="隐患\n整改  即将到期",
            body="正文",
            url="/hazards/1/",
            dedupe_key="k",
        )
        for user in (active, skipped, inactive, no_address)
    ]
    assert notify_bulk(notices) == 3
    rows = {n.recipient_id: n for n in Notification.objects.all()}
    assert inactive.pk not in rows
    row = rows[active.pk]
    assert (row.title, row.body, row.url, row.dedupe_key) == (
        "隐患 整改 即将到期",
        "正文",
        "/hazards/1/",
        "k",
    )
    assert row.read_at is None and row.emailed_at is None and row.created_at is not None
    assert not row.email_skipped
    assert rows[skipped.pk].email_skipped and rows[no_address.pk].email_skipped


def test_immediate_emails_go_in_a_few_tasks_after_commit(
    db, insert_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "EMAILS_PER_TASK", 2)
    immediate = users(3, EmailFrequency.IMMEDIATE, prefix="imm")
    daily = users(2, prefix="day")
    notices = [
        Notice(recipient=u, title="重大隐患已交办", dedupe_key="once") for u in immediate + daily
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify_bulk(notices) == 5
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 2  # 3 e-mails, 2 per task
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in immediate)
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify_bulk(notices) == 0
    assert callbacks == [] and len(mail.outbox) == 3


def test_notify_bulk_costs_the_same_queries_for_3_and_30_recipients(db, insert_path):
    def cost(recipients, key):
        with CaptureQueriesContext(connection) as queries:
            notify_bulk(Notice(recipient=u, title="t", dedupe_key=key) for u in recipients)
        return len(queries.captured_queries)

    assert cost(users(3, prefix="a"), "x") == cost(users(30, prefix="b"), "y")


# --- record_events --------------------------------------------------------------------------


@pytest.fixture(params=["postgresql", "orm"])
def audit_path(request, monkeypatch):
    """Both ways record_events inserts: PostgreSQL's INSERT ... FROM unnest and the ORM's
    bulk_create (SQLite, the demo)."""
    from safetyportal.audit import services as audit_services

    if request.param == "orm":
        monkeypatch.setattr(audit_services, "_insert_with_unnest", audit_services._insert_with_orm)
    elif connection.vendor != "postgresql":
        pytest.fail("the PostgreSQL path needs PostgreSQL")
    return request.param


def test_record_events_refuses_an_undeclared_verb(county, audit_path):
    with pytest.raises(ValueError, match="not declared"):
        record_events(actor=None, verb="hazard.teleported", events=[(county.xdk_chem, {})])
    assert not AuditEvent.objects.exists()


def test_bulk_events_read_as_record_event_writes_them(county, audit_path, county_officer):
    one = record_event(
        actor=county_officer, verb="enterprise.updated", target=county.xdk_chem, payload={"a": 1}
    )
    assert (
        record_events(
            actor=county_officer,
            verb="enterprise.updated",
            events=[(county.xdk_chem, {"a": 1}), (county.ly_chem, None)],
        )
        == 2
    )
    first, second = AuditEvent.objects.exclude(pk=one.pk).order_by("pk")
    fields = ["actor_id", "verb", "target_type_id", "target_id", "target_repr", "payload"]
    assert [getattr(first, f) for f in fields] == [getattr(one, f) for f in fields]
    assert first.created_at is not None
    assert (second.target_id, second.payload) == (county.ly_chem.pk, {})
    assert list(AuditEvent.objects.for_object(county.ly_chem)) == [second]


def test_bulk_events_are_append_only_like_the_others(county, audit_path):
    record_events(actor=None, verb="enterprise.updated", events=[(county.xdk_chem, {})])
    event = AuditEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(verb="x")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET verb = 'x'")


def test_record_events_costs_one_insert_whatever_the_count(county, audit_path):
    targets = [county.xdk_chem, county.ly_chem, county.xdk_build, county.ly_build]
    record_events(actor=None, verb="enterprise.updated", events=[(targets[0], {})])  # warm cache
    with CaptureQueriesContext(connection) as few:
        record_events(actor=None, verb="enterprise.updated", events=[(t, {}) for t in targets[:1]])
    with CaptureQueriesContext(connection) as many:
        record_events(actor=None, verb="enterprise.updated", events=[(t, {}) for t in targets * 50])
    assert len(few.captured_queries) == len(many.captured_queries) == 1


def test_awkward_text_and_shared_messages_round_trip(db, insert_path):
    """The PostgreSQL path sends each distinct message once, as array literals: quotes,
    backslashes, braces, commas, NULL-looking words, line breaks and empty strings come
    back as written, and each recipient of a shared message gets their own row."""
    recipients = users(3)
    texts = ['引号 "x" 与 \\ 反斜杠', "{a,b}", "NULL", "", "行一\n行二", " 前后空格 "]
    notices = [
        Notice(recipient=user, title="同一条", body=text, url=text, dedupe_key=f"k:{i}")
        for i, text in enumerate(texts)
        for user in recipients
    ]
    assert notify_bulk(notices, batch_size=4) == len(notices)
    stored = {
        (n.recipient_id, n.dedupe_key): (n.title, n.body, n.url) for n in Notification.objects.all()
    }
    assert stored == {
        (user.pk, f"k:{i}"): ("同一条", text, text)
        for i, text in enumerate(texts)
        for user in recipients
    }
    assert notify_bulk(notices, batch_size=4) == 0
