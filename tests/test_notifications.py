"""notify(): once per dedupe key, e-mail per the user's preference (after commit), daily
digests sent once; the notification pages show only the user's own notifications."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safetyportal.accounts.models import EmailFrequency
from safetyportal.notifications.models import Notification
from safetyportal.notifications.services import mark_all_read, notify, notify_many
from safetyportal.notifications.tasks import send_daily_digests, send_notification_email
from tests.factories import TownUserFactory, UserFactory

LIST_URL = reverse("notifications:list")

# a fixed clock for the digests: noon tomorrow (after every notice a test creates, and
# after the default digest time), and the day after
DIGEST_AT = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) + (
    datetime.timedelta(days=1)
)
NEXT_DAY = DIGEST_AT + datetime.timedelta(days=1)


def read_url(notification):
    return reverse("notifications:read", args=[notification.pk])


@pytest.fixture
def immediate_user(db):
    return UserFactory(
        username="immediate", email="imm@example.cn", email_frequency=EmailFrequency.IMMEDIATE
    )


@pytest.fixture
def daily_user(db):
    return UserFactory(
        username="daily", email="daily@example.cn", email_frequency=EmailFrequency.DAILY_DIGEST
    )


@pytest.fixture
def never_user(db):
    return UserFactory(
        username="never", email="never@example.cn", email_frequency=EmailFrequency.NEVER
    )


# --- notify ------------------------------------------------------------------------------


def test_notify_creates_one_notification_per_dedupe_key(daily_user):
    first = notify(recipient=daily_user, title="隐患即将逾期", dedupe_key="hazard:1:due")
    second = notify(recipient=daily_user, title="隐患即将逾期", dedupe_key="hazard:1:due")
    assert first is not None
    assert second is None
    assert Notification.objects.for_user(daily_user).count() == 1


def test_the_same_key_still_reaches_another_recipient_and_another_key_the_same_one(
    daily_user, never_user
):
    assert notify(recipient=daily_user, title="a", dedupe_key="k1")
    assert notify(recipient=never_user, title="a", dedupe_key="k1")
    assert notify(recipient=daily_user, title="b", dedupe_key="k2")
    assert Notification.objects.count() == 3


def test_without_a_key_every_call_notifies(daily_user):
    notify(recipient=daily_user, title="a")
    notify(recipient=daily_user, title="a")
    assert Notification.objects.for_user(daily_user).count() == 2


def test_inactive_users_are_not_notified(daily_user):
    daily_user.is_active = False
    daily_user.save(update_fields=["is_active"])
    assert notify(recipient=daily_user, title="a") is None
    assert not Notification.objects.exists()


def test_notify_many_counts_only_new_notifications(daily_user, never_user):
    assert notify_many(recipients=[daily_user, never_user], title="a", dedupe_key="k") == 2
    assert notify_many(recipients=[daily_user, never_user], title="a", dedupe_key="k") == 0


# --- e-mail per preference -------------------------------------------------------------------


def test_immediate_preference_sends_one_email_after_commit(
    immediate_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(
            recipient=immediate_user,
            title="重大隐患已交办",
            body="请按期整改。",
            url="/enterprises/1/",
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["imm@example.cn"]
    assert message.subject == "[安全生产监管门户] 重大隐患已交办"
    assert "请按期整改。" in message.body
    assert "/enterprises/1/" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_email_task_sends_nothing_twice(immediate_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=immediate_user, title="a")
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


def test_immediate_preference_without_an_address_sends_nothing(
    db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="", email_frequency=EmailFrequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=user, title="a")
    assert callbacks == []
    assert mail.outbox == []
    assert notification.email_skipped


def test_daily_preference_sends_nothing_until_the_digest(
    daily_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=daily_user, title="第一条提醒", url="/notifications/")
        notify(recipient=daily_user, title="第二条提醒")
    assert mail.outbox == []

    assert send_daily_digests(DIGEST_AT) == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["daily@example.cn"]
    assert digest.subject == "[安全生产监管门户] 今日通知汇总（2条）"
    assert "第一条提醒" in digest.body and "第二条提醒" in digest.body
    assert not Notification.objects.awaiting_digest().exists()


def test_a_second_digest_run_sends_nothing(daily_user):
    notify(recipient=daily_user, title="a")
    send_daily_digests(DIGEST_AT)
    assert send_daily_digests(DIGEST_AT) == 0
    assert len(mail.outbox) == 1


def test_digest_sends_one_email_per_user_a_day_and_only_new_notifications(daily_user):
    other = UserFactory(
        username="daily2", email="d2@example.cn", email_frequency=EmailFrequency.DAILY_DIGEST
    )
    for user in (daily_user, other, daily_user):
        notify(recipient=user, title=f"给{user.username}")
    assert send_daily_digests(DIGEST_AT) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["d2@example.cn", "daily@example.cn"]

    notify(recipient=daily_user, title="新的一条")
    # at most one digest a day: the new notice waits for the next day's
    assert send_daily_digests(DIGEST_AT + datetime.timedelta(hours=3)) == 0
    assert send_daily_digests(NEXT_DAY) == 1
    assert mail.outbox[-1].subject.endswith("（1条）")
    assert "新的一条" in mail.outbox[-1].body


def test_digest_leaves_out_immediate_and_never_users(
    immediate_user, never_user, django_capture_on_commit_callbacks
):
    notify(recipient=never_user, title="a")
    with django_capture_on_commit_callbacks(execute=False):
        notify(recipient=immediate_user, title="a")  # its e-mail is scheduled, not yet sent
    assert send_daily_digests(DIGEST_AT) == 0
    assert mail.outbox == []


def test_never_preference_sends_nothing(never_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=never_user, title="a")
    assert callbacks == []
    assert send_daily_digests(DIGEST_AT) == 0
    assert mail.outbox == []
    assert notification.email_skipped
    assert notification.is_unread  # still shown in the portal


# --- pages -------------------------------------------------------------------------------


def test_notification_list_shows_only_own_notifications(
    town_official, other_town_official, client_for
):
    notify(recipient=town_official, title="小渡口镇的提醒")
    notify(recipient=other_town_official, title="澧阳街道的提醒")
    response = client_for(town_official).get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "小渡口镇的提醒" in html
    assert "澧阳街道的提醒" not in html
    assert [n.title for n in response.context["page"].object_list] == ["小渡口镇的提醒"]


def test_mark_read_marks_own_notification_and_follows_its_link(town_official, client_for):
    notification = notify(recipient=town_official, title="a", url="/enterprises/")
    response = client_for(town_official).post(read_url(notification))
    assert response.status_code == 302
    assert response.url == "/enterprises/"
    notification.refresh_from_db()
    assert not notification.is_unread


def test_mark_read_never_redirects_off_site(town_official, client_for):
    notification = notify(recipient=town_official, title="a", url="https://evil.example/")
    response = client_for(town_official).post(read_url(notification))
    assert response.url == LIST_URL


def test_mark_read_by_htmx_returns_the_updated_item(town_official, client_for):
    notification = notify(recipient=town_official, title="htmx 提醒")
    response = client_for(town_official).post(read_url(notification), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert "标为已读" not in html


def test_mark_read_of_another_users_notification_is_404(
    town_official, other_town_official, client_for
):
    notification = notify(recipient=other_town_official, title="a")
    response = client_for(town_official).post(read_url(notification))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.is_unread


def test_mark_read_of_a_missing_notification_is_404(town_official, client_for):
    assert (
        client_for(town_official).post(reverse("notifications:read", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_mark_read_refuses_other_methods(method, town_official, client_for):
    notification = notify(recipient=town_official, title="a")
    assert getattr(client_for(town_official), method)(read_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.is_unread


def test_read_all_marks_only_own_notifications(town_official, other_town_official, client_for):
    mine = [notify(recipient=town_official, title=f"n{i}") for i in range(3)]
    theirs = notify(recipient=other_town_official, title="x")
    client = client_for(town_official)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 3 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.filter(
        pk__in=[n.pk for n in mine], read_at__isnull=True
    ).exists()
    theirs.refresh_from_db()
    assert theirs.is_unread
    assert mark_all_read(user=town_official) == 0


def unread_badge(html: str) -> str | None:
    match = re.search(r'data-testid="unread-count">(\d+)<', html)
    return match.group(1) if match else None


def test_header_shows_the_unread_count(town_official, other_town_official, client_for):
    client = client_for(town_official)
    assert unread_badge(client.get(LIST_URL).content.decode()) is None
    first = notify(recipient=town_official, title="a")
    notify(recipient=town_official, title="b")
    notify(recipient=other_town_official, title="c")
    assert unread_badge(client.get(reverse("home")).content.decode()) == "2"
    client.post(read_url(first))
    assert unread_badge(client.get(reverse("enterprises:list")).content.decode()) == "1"


def test_badge_partial_counts_unread(town_official, client_for):
    notify(recipient=town_official, title="a")
    client = client_for(town_official)
    response = client.get(reverse("notifications:badge"))
    assert response.status_code == 200
    assert unread_badge(response.content.decode()) == "1"
    assert client.post(reverse("notifications:badge")).status_code == 405


def test_list_page_is_paginated(db, client_for):
    user = TownUserFactory()
    for i in range(30):
        notify(recipient=user, title=f"第{i}条")
    response = client_for(user).get(LIST_URL, {"page": 2})
    assert len(response.context["page"].object_list) == 5
