"""Each person's notification settings (通知设置): the page (allowed, anonymous, wrong
method, bad input), the audit, and the digest that follows them: one a day per channel
at the person's time, muted kinds left out, urgent notices e-mailed at once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safetyportal.accounts.models import EmailFrequency
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.models import DigestDelivery, Notification, NotificationPreference
from safetyportal.notifications.services import Notice, notify, notify_bulk, set_preferences
from safetyportal.notifications.tasks import send_daily_digests

URL = reverse("notifications:preferences")
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def at(hour: int, minute: int = 0, day: datetime.date = TOMORROW) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def official(town_official):
    town_official.email = "sun@lixian.gov.cn"
    town_official.email_frequency = EmailFrequency.DAILY_DIGEST
    town_official.save(update_fields=["email", "email_frequency"])
    return town_official


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_the_persons_settings_and_every_kind(official, client_for):
    response = client_for(official).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "通知设置" in html
    assert "每周安全提醒" in html and "隐患整改、到期提醒与逾期督办" in html
    assert response.context["form"].initial["digest_time"] == datetime.time(7, 30)


def test_the_user_menu_links_to_the_page(official, client_for):
    html = client_for(official).get(reverse("home")).content.decode()
    assert f'href="{URL}"' in html


def test_saving_the_settings_changes_them_and_is_audited(official, client_for):
    response = client_for(official).post(
        URL,
        {
            "email_frequency": EmailFrequency.DAILY_DIGEST,
            "digest_time": "17:30",
            "emailed_kinds": ["hazard", "accident"],
        },
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=official)
    assert preference.digest_time == datetime.time(17, 30)
    assert "safety_reminder" in preference.muted_kinds
    assert "hazard" not in preference.muted_kinds
    event = AuditEvent.objects.get(verb="notification.preferences_changed")
    assert event.actor == official
    assert event.payload["after"]["digest_time"] == "17:30"


def test_an_e_mail_mode_without_an_address_is_refused_and_changes_nothing(
    town_official, client_for
):
    town_official.email = ""
    town_official.email_frequency = EmailFrequency.NEVER
    town_official.save(update_fields=["email", "email_frequency"])
    response = client_for(town_official).post(
        URL, {"email_frequency": EmailFrequency.IMMEDIATE, "digest_time": "09:00"}
    )
    assert response.status_code == 200
    assert "您还没有填写电子邮箱" in response.content.decode()
    town_official.refresh_from_db()
    assert town_official.email_frequency == EmailFrequency.NEVER
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(verb="notification.preferences_changed").exists()


def test_a_bad_time_is_refused(official, client_for):
    response = client_for(official).post(
        URL, {"email_frequency": EmailFrequency.DAILY_DIGEST, "digest_time": "25:99"}
    )
    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    assert client.get(URL).status_code == 302
    assert client.post(URL, {"digest_time": "09:00"}).status_code == 302
    assert not NotificationPreference.objects.exists()


def test_wrong_method_is_refused(official, client_for):
    assert client_for(official).put(URL).status_code == 405
    assert client_for(official).delete(URL).status_code == 405


# --- the digest follows them ----------------------------------------------------------------


def test_the_digest_waits_for_the_persons_time_and_goes_once_a_day(official):
    set_preferences(
        user=official,
        email_frequency=EmailFrequency.DAILY_DIGEST,
        digest_time=datetime.time(17, 30),
        emailed_kinds=["hazard", "safety_reminder"],
    )
    notify(recipient=official, title="第一条", kind="hazard")
    notify(recipient=official, title="第二条", kind="safety_reminder")
    assert send_daily_digests(at(17, 15)) == 0  # not yet
    assert send_daily_digests(at(17, 30)) == 1
    assert send_daily_digests(at(17, 45)) == 0
    [digest] = mail.outbox
    assert digest.subject == "[安全生产监管门户] 今日通知汇总（2条）"
    assert "第一条" in digest.body and "第二条" in digest.body
    assert DigestDelivery.objects.get(user=official).notices == 2

    notify(recipient=official, title="第三条", kind="hazard")
    assert send_daily_digests(at(20, 0)) == 0  # one digest a day
    assert send_daily_digests(at(17, 30, TOMORROW + datetime.timedelta(days=1))) == 1
    assert "第三条" in mail.outbox[-1].body


def test_a_days_notices_are_gathered_in_one_digest(official):
    notify_bulk(
        Notice(recipient=official, title=f"提醒{n}", kind="duty_item", dedupe_key=f"k{n}")
        for n in range(12)
    )
    assert send_daily_digests(at(8, 0)) == 1
    assert len(mail.outbox) == 1
    assert all(f"提醒{n}" in mail.outbox[0].body for n in range(12))
    assert not Notification.objects.awaiting_digest().exists()


def test_muted_kinds_stay_in_the_portal_and_are_not_e_mailed(official):
    set_preferences(
        user=official,
        email_frequency=EmailFrequency.DAILY_DIGEST,
        digest_time=datetime.time(7, 0),
        emailed_kinds=["hazard"],
    )
    notify(recipient=official, title="周提醒", kind="safety_reminder")
    assert send_daily_digests(at(8, 0)) == 0
    assert mail.outbox == []
    # the day's digest is not used up by an empty one
    assert not DigestDelivery.objects.exists()
    notify(recipient=official, title="隐患督办", kind="hazard")
    assert send_daily_digests(at(9, 0)) == 1
    assert "隐患督办" in mail.outbox[0].body and "周提醒" not in mail.outbox[0].body
    assert Notification.objects.for_user(official).unread().count() == 2


def test_an_urgent_notice_is_e_mailed_at_once_even_when_its_kind_is_muted(
    official, django_capture_on_commit_callbacks
):
    set_preferences(
        user=official,
        email_frequency=EmailFrequency.DAILY_DIGEST,
        digest_time=datetime.time(7, 0),
        emailed_kinds=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_bulk(
            [
                Notice(recipient=official, title="重大隐患逾期", kind="hazard", urgent=True),
                Notice(recipient=official, title="普通提醒", kind="hazard"),
            ]
        )
    assert [m.subject for m in mail.outbox] == ["[安全生产监管门户]【紧急】 重大隐患逾期"]
    # the urgent one was sent; the other (muted) is not e-mailed in the digest either
    assert send_daily_digests(at(8, 0)) == 0
    assert len(mail.outbox) == 1


def test_no_e_mail_channel_means_no_e_mail_even_when_urgent(
    official, django_capture_on_commit_callbacks
):
    official.email_frequency = EmailFrequency.NEVER
    official.save(update_fields=["email_frequency"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=official, title="事故", kind="accident", urgent=True)
    assert mail.outbox == []
    assert Notification.objects.for_user(official).count() == 1


def test_an_undeclared_kind_is_refused(official):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        notify(recipient=official, title="a", kind="no-such-kind")
    assert not Notification.objects.exists()


def test_the_digest_costs_the_same_queries_for_2_and_20_people(
    county, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    def run(n: int, day: datetime.date) -> int:
        people = [UserFactory(email_frequency=EmailFrequency.DAILY_DIGEST) for _ in range(n)]
        notify_bulk(Notice(recipient=p, title="提醒", kind="hazard") for p in people)
        with CaptureQueriesContext(connection) as queries:
            assert send_daily_digests(at(8, 0, day)) == n
        return len(queries)

    assert run(2, TOMORROW) == run(20, TOMORROW + datetime.timedelta(days=1))
