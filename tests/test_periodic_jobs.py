"""The periodic jobs of issue 12, each against a fixed day: it sends exactly what it
should, once (a second run sends nothing), with its kind and urgency."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from enforcement.accidents import services as accident_services
from enterprises.duties.judging import judge_enterprises
from enterprises.duties.models import SpecialOperationCertificate
from enterprises.duties.reminders import send_duty_reminders
from hazards.statistics_reminders import send_statistics_reminders, statistics_due
from responsibilities.duty_models import DutyItem, DutyList
from responsibilities.duty_reminders import send_duty_item_reminders
from safetyportal.accounts.models import EmailFrequency
from safetyportal.dashboard.monthly_notice import send_monthly_statistics
from safetyportal.notifications.models import Notification

DAY = datetime.date(2026, 10, 8)


def notices(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("id"))


# --- quarterly and annual hazard statistics ------------------------------------------------


@pytest.mark.parametrize(
    ("today", "keys"),
    [
        (datetime.date(2026, 10, 7), []),  # 8 days before the 15th: not yet
        (datetime.date(2026, 10, 8), ["hazard-statistics:2026Q3"]),
        (datetime.date(2026, 10, 15), ["hazard-statistics:2026Q3"]),  # the due day itself
        (datetime.date(2026, 10, 16), []),
        (datetime.date(2026, 4, 10), ["hazard-statistics:2026Q1"]),
        (datetime.date(2027, 1, 10), ["hazard-statistics:2026Q4"]),
        (datetime.date(2027, 1, 24), ["hazard-statistics:2026:annual"]),
        (datetime.date(2027, 1, 31), ["hazard-statistics:2026:annual"]),
        (datetime.date(2027, 2, 1), []),
    ],
)
def test_statistics_are_due_by_the_15th_of_the_next_quarter_and_the_year_by_31_january(today, keys):
    assert [due.key for due in statistics_due(today)] == keys


def test_statistics_reminder_reaches_each_enterprise_account_once(enterprise_manager, county):
    assert send_statistics_reminders(DAY) == 1
    assert send_statistics_reminders(DAY) == 0
    assert send_statistics_reminders(DAY + datetime.timedelta(days=3)) == 0
    [notice] = notices(enterprise_manager, "hazard_statistics")
    assert notice.title == "请于2026年10月15日前报送2026年第三季度隐患排查治理统计分析表"
    assert not notice.urgent


def test_no_statistics_reminder_outside_the_window(enterprise_manager):
    assert send_statistics_reminders(datetime.date(2026, 11, 20)) == 0
    assert not Notification.objects.exists()


# --- certificates, plans and drills ---------------------------------------------------------


def test_a_certificate_due_soon_then_expired_is_told_once_per_state(enterprise_manager, county):
    enterprise = county.xdk_build
    SpecialOperationCertificate.objects.create(
        enterprise=enterprise,
        worker_name="张工",
        category="electrical",
        number="T430723001",
        expires_on=DAY + datetime.timedelta(days=10),
    )
    judge_enterprises([enterprise.pk], today=DAY)
    Notification.objects.all().delete()

    assert send_duty_reminders(DAY) >= 1
    again = send_duty_reminders(DAY)
    assert again == 0
    soon = [n for n in notices(enterprise_manager, "duty_expiry") if "特种作业" in n.title]
    assert len(soon) == 1
    assert "即将到期" in soon[0].title
    assert "张工" in soon[0].body

    later = DAY + datetime.timedelta(days=11)  # the day after expiry: the state changed
    send_duty_reminders(later)
    assert send_duty_reminders(later) == 0
    certificate_notices = [
        n.title for n in notices(enterprise_manager, "duty_expiry") if "特种作业" in n.title
    ]
    assert len(certificate_notices) == 2
    assert "已过期" in certificate_notices[1]


def test_duty_reminders_go_to_the_enterprise_only(enterprise_manager, town_official, county):
    SpecialOperationCertificate.objects.create(
        enterprise=county.ly_build,
        worker_name="李工",
        category="welding",
        number="T430723002",
        expires_on=DAY - datetime.timedelta(days=1),
    )
    judge_enterprises([county.ly_build.pk, county.xdk_build.pk], today=DAY)
    send_duty_reminders(DAY)
    assert not any("李工" in n.body for n in notices(enterprise_manager, "duty_expiry"))
    assert not notices(town_official, "duty_expiry")


# --- duty-list items ------------------------------------------------------------------------


@pytest.fixture
def duty_item(county, county_officer):
    duty_list = DutyList.objects.create(year=2026, owner=county.town, created_by=county_officer)
    return DutyItem.objects.create(
        duty_list=duty_list, content="组织开展汛期安全大检查", deadline=DAY + datetime.timedelta(3)
    )


def test_a_duty_item_is_reminded_before_its_deadline_and_once_overdue(
    duty_item, town_official, other_town_official
):
    assert send_duty_item_reminders(DAY - datetime.timedelta(days=5)) == 0  # too early
    assert send_duty_item_reminders(DAY) == 1
    assert send_duty_item_reminders(DAY + datetime.timedelta(days=1)) == 0
    overdue = DAY + datetime.timedelta(days=4)
    assert send_duty_item_reminders(overdue) == 1
    assert send_duty_item_reminders(overdue) == 0
    titles = [n.title for n in notices(town_official, "duty_item")]
    assert titles == [
        "责任清单事项将于 2026-10-11 到期：组织开展汛期安全大检查",
        "责任清单事项已逾期（时限 2026-10-11）：组织开展汛期安全大检查",
    ]
    assert not notices(other_town_official, "duty_item")


def test_a_done_duty_item_is_not_reminded(duty_item, town_official):
    DutyItem.objects.filter(pk=duty_item.pk).update(status="done", done_on=DAY)
    assert send_duty_item_reminders(DAY) == 0


# --- monthly statistics ---------------------------------------------------------------------


def test_monthly_statistics_reach_leaders_and_the_county_office_once_a_month(
    accidents_in_october, leader, county_officer, town_official
):
    first = datetime.date(2026, 11, 1)
    assert send_monthly_statistics(first) == 2
    assert send_monthly_statistics(first) == 0
    assert send_monthly_statistics(datetime.date(2026, 11, 20)) == 0  # same month: once
    [notice] = notices(leader, "monthly_statistics")
    assert notice.title == "2026年10月安全生产统计"
    assert "发生生产安全事故 1 起，死亡 2 人" in notice.body
    assert not notices(town_official, "monthly_statistics")


@pytest.fixture
def accidents_in_october(county, county_officer):
    """One accident in October 2026 with two deaths (and one in November, not counted)."""
    from tests.enforcement.factories import AccidentFactory

    october = timezone.make_aware(datetime.datetime(2026, 10, 12, 9, 0))
    AccidentFactory(unit=county.town, occurred_at=october, deaths=2)
    AccidentFactory(unit=county.town, occurred_at=october + datetime.timedelta(days=25), deaths=1)
    return county


# --- an accident is urgent ------------------------------------------------------------------


def test_an_accident_report_is_e_mailed_at_once_to_the_county_whatever_the_digest(
    county, county_officer, leader, django_capture_on_commit_callbacks
):
    county_officer.email_frequency = EmailFrequency.DAILY_DIGEST
    county_officer.save(update_fields=["email_frequency"])
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        accident = accident_services.report_accident(
            actor=county_officer,
            occurred_at=now - datetime.timedelta(minutes=40),
            reported_at=now - datetime.timedelta(minutes=20),
            town=county.town,
            place="3号车间",
            course="检修时触电",
            reported_by="王安委",
            enterprise=county.xdk_build,
            deaths=1,
            direct_loss=Decimal("50"),
        )
    [notice] = notices(county_officer, "accident")
    assert notice.urgent
    assert notice.dedupe_key == f"accident:{accident.pk}:reported"
    assert len(notices(leader, "accident")) == 1
    urgent_mail = [m for m in mail.outbox if county_officer.email in m.to]
    assert len(urgent_mail) == 1
    assert urgent_mail[0].subject.startswith("[安全生产监管门户]【紧急】")
