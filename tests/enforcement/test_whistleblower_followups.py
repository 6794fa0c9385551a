"""Whistleblower reports, the follow-ups of issue 13: the county office's page granting and
revoking the reveal (allowed, forbidden, wrong method, audited, no identity on it, constant
queries), the extension shown to the reporter, the reminders' notice kind, the conversion to
a case in one step, and the enterprise-name search's rate limit."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.reports import services
from enforcement.reports.models import Report, ReportUserObjectPermission, RevealGrant
from enforcement.reports.reminders import send_deadline_reminders
from safetyportal.accounts.models import EmailFrequency
from safetyportal.audit.models import AuditEvent
from safetyportal.notifications.kinds import registered
from safetyportal.notifications.models import Notification
from safetyportal.notifications.services import set_preferences
from safetyportal.notifications.tasks import send_daily_digests
from tests.factories import DepartmentUserFactory

NAME, PHONE = "李秘密", "13912345678"
pytestmark = pytest.mark.django_db
PAGE = reverse("enforcement:report_reveal_grants")
ADD = reverse("enforcement:report_reveal_grant_add")
REVOKE = reverse("enforcement:report_reveal_grant_revoke")


@pytest.fixture
def named_report(county):
    return services.submit_report(
        kind="hazard",
        enterprise_name=county.xdk_chem.name,
        location="仓库",
        description="消防通道被堵",
        name=NAME,
        phone=PHONE,
        relation="车间工人",
        is_whistleblower=True,
    )


def _assigned(report, county_officer, unit):
    services.accept_report(actor=county_officer, report_id=report.pk)
    services.assign_report(actor=county_officer, report_id=report.pk, unit=unit)


# --- the grants page ---------------------------------------------------------------------------


def test_the_county_office_sees_the_grants_page_without_any_identity(
    named_report, county, county_officer, department_official, client_for
):
    services.grant_reveal(actor=county_officer, user=department_official, report=named_report)
    services.grant_reveal(actor=county_officer, user=department_official, unit=county.department)
    response = client_for(county_officer).get(PAGE + f"?report={named_report.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "钱应急" in body and "应急管理局" in body
    assert len(response.context["unit_grants"]) == 1
    assert len(response.context["report_grants"]) == 1
    assert response.context["form"].initial == {"scope": "report", "report": named_report.pk}
    assert NAME not in body and PHONE not in body
    # the list and the detail page lead there, for the county office only
    list_page = client_for(county_officer).get(reverse("enforcement:report_list"))
    assert PAGE in list_page.content.decode()
    detail = reverse("enforcement:report_detail", args=[named_report.pk])
    assert (
        f"{PAGE}?report={named_report.pk}"
        in client_for(county_officer).get(detail).content.decode()
    )


@pytest.mark.parametrize("persona", ["leader", "department_official", "town_official"])
def test_others_may_neither_see_nor_change_grants(
    request, persona, named_report, county, client_for
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(PAGE).status_code == 403
    data = {"scope": "unit", "user": user.pk, "unit": county.department.pk}
    assert client.post(ADD, data).status_code == 403
    grant = RevealGrant.objects.create(
        user=user, unit=county.department, granted_by=request.getfixturevalue("county_officer")
    )
    assert client.post(REVOKE, {"scope": "unit", "grant": grant.pk}).status_code == 403
    assert RevealGrant.objects.filter(pk=grant.pk).exists()
    assert not AuditEvent.objects.filter(verb__startswith="report.reveal_").exists()
    reports = client_for(user).get(reverse("enforcement:report_list"))
    assert PAGE not in reports.content.decode()


def test_grant_and_revoke_refuse_the_wrong_method(county_officer, client_for):
    client = client_for(county_officer)
    assert client.get(ADD).status_code == 405
    assert client.get(REVOKE).status_code == 405
    assert client.post(PAGE).status_code == 405
    assert Client().get(PAGE).status_code == 302  # not logged in: to the login page


def test_a_per_report_grant_lets_its_holder_reveal_and_its_revocation_stops_it(
    named_report, county, county_officer, department_official, client_for
):
    _assigned(named_report, county_officer, county.department)
    reveal = reverse("enforcement:report_reveal", args=[named_report.pk])
    assert client_for(department_official).post(reveal).status_code == 403
    response = client_for(county_officer).post(
        ADD, {"scope": "report", "user": department_official.pk, "report": named_report.pk}
    )
    assert response.status_code == 302
    granted = AuditEvent.objects.get(verb="report.reveal_granted")
    assert granted.actor == county_officer and granted.target_id == named_report.pk
    assert granted.payload["user_id"] == department_official.pk
    body = client_for(department_official).post(reveal).content.decode()
    assert NAME in body and PHONE in body  # the reveal on the report page: the one way
    # granting again adds nothing and records nothing
    client_for(county_officer).post(
        ADD, {"scope": "report", "user": department_official.pk, "report": named_report.pk}
    )
    assert AuditEvent.objects.filter(verb="report.reveal_granted").count() == 1
    row = ReportUserObjectPermission.objects.get()
    response = client_for(county_officer).post(REVOKE, {"scope": "report", "grant": row.pk})
    assert response.status_code == 302
    revoked = AuditEvent.objects.get(verb="report.reveal_revoked")
    assert revoked.actor == county_officer and revoked.target_id == named_report.pk
    assert revoked.payload["user_id"] == department_official.pk
    assert NAME not in str(revoked.payload) and NAME not in str(granted.payload)
    assert client_for(department_official).post(reveal).status_code == 403


def test_a_unit_grant_covers_the_units_reports_until_revoked(
    named_report, county, county_officer, department_official, client_for
):
    _assigned(named_report, county_officer, county.department)
    response = client_for(county_officer).post(
        ADD, {"scope": "unit", "user": department_official.pk, "unit": county.department.pk}
    )
    assert response.status_code == 302
    grant = RevealGrant.objects.get()
    assert (grant.user, grant.unit, grant.granted_by) == (
        department_official,
        county.department,
        county_officer,
    )
    event = AuditEvent.objects.get(verb="report.reveal_granted")
    assert event.payload["unit_id"] == county.department.pk
    reveal = reverse("enforcement:report_reveal", args=[named_report.pk])
    assert client_for(department_official).post(reveal).status_code == 200
    client_for(county_officer).post(REVOKE, {"scope": "unit", "grant": grant.pk})
    assert not RevealGrant.objects.exists()
    assert AuditEvent.objects.get(verb="report.reveal_revoked").payload["unit_id"] == (
        county.department.pk
    )
    assert client_for(department_official).post(reveal).status_code == 403
    # revoking what is gone: a message, nothing recorded
    client_for(county_officer).post(REVOKE, {"scope": "unit", "grant": grant.pk})
    assert AuditEvent.objects.filter(verb="report.reveal_revoked").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"scope": "report"}, "report", "请填写举报编号"),
        ({"scope": "report", "report": 999999}, "report", "没有编号为 999999 的举报"),
        ({"scope": "unit"}, "unit", "请选择承办单位"),
        ({"scope": "report", "report": "anonymous"}, "report", "匿名举报"),
    ],
)
def test_bad_grants_are_refused_with_a_message_and_change_nothing(
    data, field, message, named_report, county, county_officer, department_official, client_for
):
    anonymous = services.submit_report(
        kind="hazard", enterprise_name="某厂", location="x", description="y"
    )
    if data.get("report") == "anonymous":
        data = {**data, "report": anonymous.pk}
    response = client_for(county_officer).post(ADD, {**data, "user": department_official.pk})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not RevealGrant.objects.exists() and not ReportUserObjectPermission.objects.exists()
    assert not AuditEvent.objects.filter(verb="report.reveal_granted").exists()


def test_only_officials_of_the_county_departments_and_towns_may_be_granted(
    named_report, county_officer, enterprise_manager, client_for
):
    response = client_for(county_officer).post(
        ADD, {"scope": "report", "user": enterprise_manager.pk, "report": named_report.pk}
    )
    assert response.status_code == 400 and "user" in response.context["form"].errors
    assert not ReportUserObjectPermission.objects.exists()


def test_the_grants_page_costs_the_same_queries_for_few_or_many_grants(
    named_report, county, county_officer, department_official, client_for
):
    client = client_for(county_officer)
    services.grant_reveal(actor=county_officer, user=department_official, report=named_report)
    services.grant_reveal(actor=county_officer, user=department_official, unit=county.department)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for _n in range(6):
        user = DepartmentUserFactory(organisation=county.department)
        services.grant_reveal(actor=county_officer, user=user, report=named_report)
        services.grant_reveal(actor=county_officer, user=user, unit=county.town)
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(few) == len(many)


# --- the extension, told to the reporter ------------------------------------------------------


def test_the_status_page_shows_the_extended_deadline_and_its_reason_not_internal_notes(
    named_report, county, county_officer
):
    services.accept_report(actor=county_officer, report_id=named_report.pk, note="内部受理意见X")
    services.assign_report(
        actor=county_officer, report_id=named_report.pk, unit=county.department, note="内部交办Y"
    )
    before = Client().post(
        reverse("enforcement:report_public_status"), {"code": named_report.receipt_code}
    )
    report = services.extend_verification(
        actor=county_officer, report_id=named_report.pk, days=20, reason="需联合住建部门现场核查"
    )
    response = Client().post(
        reverse("enforcement:report_public_status"), {"code": named_report.receipt_code}
    )
    body = response.content.decode()
    assert "正在核查" in body
    assert report.verify_due.strftime("%Y-%m-%d") in body
    assert "已延期" in body and "需联合住建部门现场核查" in body
    assert "已延期" not in before.content.decode()
    assert "内部受理意见X" not in body and "内部交办Y" not in body and "应急管理局" not in body


def test_a_merged_duplicate_shows_the_extension_of_the_report_it_joined(
    named_report, county, county_officer
):
    duplicate = services.submit_report(
        kind="hazard", enterprise_name=county.xdk_chem.name, location="仓库", description="同上"
    )
    services.merge_report(actor=county_officer, report_id=duplicate.pk, into=named_report)
    _assigned(named_report, county_officer, county.department)
    services.extend_verification(
        actor=county_officer, report_id=named_report.pk, days=10, reason="等待检测报告"
    )
    body = (
        Client()
        .post(reverse("enforcement:report_public_status"), {"code": duplicate.receipt_code})
        .content.decode()
    )
    assert "等待检测报告" in body and "已延期" in body


# --- the reminders' kind ------------------------------------------------------------------------


def test_deadline_reminders_are_a_declared_kind_normal_even_when_overdue(
    named_report, county_officer
):
    assert "report_deadline" in registered()
    overdue = named_report.accept_due + datetime.timedelta(days=3)
    assert send_deadline_reminders(overdue) == 1
    notice = Notification.objects.get(recipient=county_officer)
    assert notice.kind == "report_deadline" and notice.urgent is False
    assert "已逾期 3 天" in notice.body


def test_a_person_who_mutes_the_reminders_gets_them_in_the_portal_not_by_e_mail(
    named_report, county_officer
):
    county_officer.email = "wang@lixian.gov.cn"
    county_officer.email_frequency = EmailFrequency.DAILY_DIGEST
    county_officer.save(update_fields=["email", "email_frequency"])
    kinds = [code for code in registered() if code != "report_deadline"]
    set_preferences(
        user=county_officer,
        email_frequency=EmailFrequency.DAILY_DIGEST,
        digest_time=datetime.time(7, 0),
        emailed_kinds=kinds,
    )
    Notification.objects.all().delete()  # the "new report" notice of the submission
    send_deadline_reminders(named_report.accept_due)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(8, 0)))
    assert send_daily_digests(at) == 0
    assert mail.outbox == []
    assert Notification.objects.for_user(county_officer).unread().count() == 1


# --- a substantiated report to a case, in one step ------------------------------------------------


def test_a_substantiated_report_becomes_a_linked_case_in_one_step(
    named_report, county, county_officer, town_official, powers, client_for
):
    _assigned(named_report, county_officer, county.town)
    services.verify_report(
        actor=town_official, report_id=named_report.pk, outcome="substantiated", findings="属实"
    )
    url = reverse("enforcement:report_step", args=[named_report.pk, "to-case"])
    assert client_for(town_official).get(url).status_code == 405
    data = {
        "to_case-item": powers.fine_item.pk,
        "to_case-facts": "消防通道堵塞，未保持畅通",
        "to_case-officers": [town_official.pk, powers.town_partner.pk],
    }
    # the county office does not file the units' cases
    assert client_for(county_officer).post(url, data).status_code == 403
    response = client_for(town_official).post(url, data)
    assert response.status_code == 302, [
        (s.name, s.form.errors) for s in response.context["steps"] if getattr(s, "form", None)
    ]
    report = Report.objects.select_related("case").get(pk=named_report.pk)
    assert report.case is not None and report.hazard is None
    assert report.case.enterprise == county.xdk_chem
    assert report.case.facts == "消防通道堵塞，未保持畅通"
    event = AuditEvent.objects.get(verb="report.converted")
    assert event.payload == {"case": report.case.pk}
    detail = client_for(town_official).get(reverse("enforcement:report_detail", args=[report.pk]))
    assert reverse("enforcement:case_detail", args=[report.case.pk]) in detail.content.decode()
    # once only
    assert client_for(town_official).post(url, data).status_code == 409


def test_an_unsubstantiated_report_cannot_become_a_case(
    named_report, county, county_officer, town_official, powers, client_for
):
    _assigned(named_report, county_officer, county.town)
    services.verify_report(
        actor=town_official, report_id=named_report.pk, outcome="unsubstantiated", findings="不实"
    )
    url = reverse("enforcement:report_step", args=[named_report.pk, "to-case"])
    data = {
        "to_case-item": powers.fine_item.pk,
        "to_case-facts": "x",
        "to_case-officers": [town_official.pk, powers.town_partner.pk],
    }
    assert client_for(town_official).post(url, data).status_code == 409
    assert Report.objects.get(pk=named_report.pk).case_id is None


# --- the enterprise-name search's rate limit ------------------------------------------------------


def test_the_enterprise_name_search_stops_answering_over_its_limit(county, settings):
    settings.REPORT_SEARCH_LIMIT = 2
    url = reverse("enforcement:report_public_enterprise_names")
    client = Client()
    answers = [client.get(url, {"enterprise_name": "化工"}).content.decode() for _n in range(3)]
    assert "小渡口化工有限公司" in answers[0] and "小渡口化工有限公司" in answers[1]
    assert "小渡口化工有限公司" not in answers[2]
    # a different client still gets its answers
    other = Client(REMOTE_ADDR="10.0.0.9").get(url, {"enterprise_name": "化工"})
    assert "小渡口化工有限公司" in other.content.decode()


# --- the public pages' wording ------------------------------------------------------------------


def test_the_public_form_says_which_field_is_missing_and_how_to_fill_it(county):
    response = Client().post(
        reverse("enforcement:report_public_new"), {"kind": "hazard", "anonymous": "on"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    for message in ("被举报单位为必填项", "地点为必填项", "举报内容为必填项"):
        assert message in body
    assert not Report.objects.exists()
    status = Client().get(reverse("enforcement:report_public_status")).content.decode()
    assert "16 位查询码" in status
