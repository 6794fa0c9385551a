"""Whistleblower reports (issue 13): the public form and receipt lookup, the protection of
the reporter's identity, the handling steps, rewards, duplicates, statistics and the API."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import assign_perm
from openpyxl import load_workbook
from PIL import Image

from enforcement.reports import services, statistics
from enforcement.reports.models import Report, ReporterIdentity, ReportStatus, RewardStatus
from enforcement.reports.rewards import compute, ensure_reward_rules
from safetyportal.audit.models import AuditEvent
from safetyportal.workflow import StepForbidden

NAME, PHONE, CONTACT = "李秘密", "13912345678", "微信 secret_wx_id"
pytestmark = pytest.mark.django_db


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x013B] = "Reporter Artist"  # Artist
    exif[0x8825] = {1: "N", 2: (29.0, 38.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _post_data(**extra):
    data = {
        "kind": "hazard",
        "enterprise_name": "小渡口化工有限公司",
        "location": "仓库",
        "description": "消防通道被堵",
        "name": NAME,
        "phone": PHONE,
        "contact": CONTACT,
        "relation": "车间工人",
        "is_whistleblower": "on",
    }
    data.update(extra)
    return data


@pytest.fixture
def named_report(county):
    return services.submit_report(
        kind="hazard",
        enterprise_name=county.xdk_chem.name,
        location="仓库",
        description="消防通道被堵",
        name=NAME,
        phone=PHONE,
        contact=CONTACT,
        relation="车间工人",
        is_whistleblower=True,
    )


# --- the public form -----------------------------------------------------------------------


def test_an_anonymous_report_gets_a_receipt_and_stores_no_identity(county):
    response = Client().post(
        reverse("enforcement:report_public_new"),
        _post_data(name="", phone="", contact="", relation="", is_whistleblower="", anonymous="on"),
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.is_anonymous and not ReporterIdentity.objects.exists()
    assert services.format_code(report.receipt_code) in response.content.decode()
    assert report.enterprise == county.xdk_chem  # the exact name found the registry entry
    assert report.unit == county.office


def test_receipt_codes_are_random_not_sequential(county):
    codes = {services.new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 16 and set(c) <= set(services.CODE_ALPHABET) for c in codes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"description": "<script>alert(1)</script>"}, "网页代码或脚本"),
        ({"location": '<img src=x onerror="x()">'}, "网页代码或脚本"),
        ({"description": ""}, "必填"),
        ({"name": "", "phone": "", "contact": ""}, "匿名举报"),
        ({"phone": "abc"}, "电话号码"),
    ],
)
def test_bad_input_on_the_public_form_is_refused_and_nothing_is_stored(county, change, message):
    response = Client().post(reverse("enforcement:report_public_new"), _post_data(**change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists() and not AuditEvent.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(county):
    upload = SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 100)
    response = Client().post(
        reverse("enforcement:report_public_new"), {**_post_data(), "files": [upload]}
    )
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    assert not Report.objects.exists()


def test_an_oversized_file_is_refused_and_nothing_is_stored(county, settings):
    settings.UPLOAD_MAX_BYTES = settings.PHOTO_UPLOAD_MAX_BYTES = 2048
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 5000)
    response = Client().post(
        reverse("enforcement:report_public_new"), {**_post_data(), "files": [upload]}
    )
    assert response.status_code == 400
    assert "超过" in response.content.decode()
    assert not Report.objects.exists()


def test_photo_metadata_is_stripped_before_storing(county):
    upload = SimpleUploadedFile("IMG_李秘密.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(_jpeg_with_gps())).getexif()  # the source carries EXIF
    response = Client().post(
        reverse("enforcement:report_public_new"), {**_post_data(), "files": [upload]}
    )
    assert response.status_code == 200
    attachment = Report.objects.get().attachments.get()
    assert "李秘密" not in attachment.file.name
    with attachment.file.open("rb") as kept:
        data = kept.read()
    assert b"Reporter Artist" not in data and b"Exif" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_pdf_metadata_is_stripped_before_storing(county):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "Reporter Author", "/Title": "secret"})
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = SimpleUploadedFile("a.pdf", buffer.getvalue(), content_type="application/pdf")
    Client().post(reverse("enforcement:report_public_new"), {**_post_data(), "files": [upload]})
    with Report.objects.get().attachments.get().file.open("rb") as kept:
        assert b"Reporter Author" not in kept.read()


def test_the_public_enterprise_search_returns_names_only(county):
    response = Client().get(
        reverse("enforcement:report_public_enterprise_names"), {"enterprise_name": "化工"}
    )
    body = response.content.decode()
    assert "小渡口化工有限公司" in body and "澧阳化工有限公司" in body
    assert str(county.xdk_chem.pk) not in body.replace("小渡口化工有限公司", "")
    assert county.xdk_chem.uscc not in body


# --- the receipt lookup --------------------------------------------------------------------


def _lookup(client, code):
    return client.post(reverse("enforcement:report_public_status"), {"code": code})


def test_the_right_code_shows_the_stage_and_reporter_feedback_only(
    named_report, county_officer, department_official
):
    services.accept_report(actor=county_officer, report_id=named_report.pk)
    services.assign_report(
        actor=county_officer, report_id=named_report.pk, unit=department_official.organisation
    )
    services.verify_report(
        actor=department_official,
        report_id=named_report.pk,
        outcome="substantiated",
        findings="内部核查记录 INTERNAL",
    )
    services.give_feedback(
        actor=department_official, report_id=named_report.pk, feedback="已责令整改，感谢监督"
    )
    code = services.format_code(named_report.receipt_code).lower()
    body = _lookup(Client(), code).content.decode()
    assert "已办结" in body and "已责令整改，感谢监督" in body
    assert "INTERNAL" not in body and NAME not in body


def test_wrong_missing_and_malformed_codes_get_the_same_answer(named_report):
    client = Client()
    wrong = _lookup(client, "ABCD-EFGH-JKMN-PQRS")
    malformed = _lookup(client, "' OR 1=1 --")
    missing = _lookup(client, "")
    assert wrong.status_code == malformed.status_code == missing.status_code == 200
    assert _without_tokens(wrong) == _without_tokens(malformed) == _without_tokens(missing)
    assert "未找到与该查询码对应的举报" in wrong.content.decode()


def _without_tokens(response) -> str:
    """The page without its per-request CSRF tokens (and nonces)."""
    import re

    return re.sub(r'"[A-Za-z0-9_-]{40,}"', "", response.content.decode())


def test_a_merged_report_keeps_its_receipt_working(county, county_officer, named_report):
    other = services.submit_report(
        kind="hazard", enterprise_name=county.xdk_chem.name, location="仓库", description="同一事项"
    )
    services.merge_report(actor=county_officer, report_id=other.pk, into=named_report)
    services.reject_report(actor=county_officer, report_id=named_report.pk, reason="不属于安全生产")
    body = _lookup(Client(), other.receipt_code).content.decode()
    assert "不予受理" in body and "不属于安全生产" in body


def test_the_receipt_lookup_rate_limit_trips(named_report, settings):
    settings.REPORT_LOOKUP_LIMIT = 3
    client = Client()
    statuses = [_lookup(client, "WRONGCODE").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # the right code is refused too while limited (no oracle while limited)
    assert _lookup(client, named_report.receipt_code).status_code == 429


def test_the_public_form_rate_limit_trips(county, settings):
    settings.REPORT_SUBMIT_LIMIT = 2
    client = Client()
    data = _post_data(anonymous="on")
    statuses = [
        client.post(reverse("enforcement:report_public_new"), data).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert Report.objects.count() == 2


def test_public_pages_refuse_other_methods(county):
    assert Client().put(reverse("enforcement:report_public_new")).status_code == 405
    assert Client().delete(reverse("enforcement:report_public_status")).status_code == 405


# --- protection of the identity --------------------------------------------------------------


def test_identity_is_not_in_the_database_in_clear(named_report):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_token, phone_token, contact_token, relation_token, phone_hash "
            "FROM enforcement_reporteridentity"
        )
        row = " ".join(cursor.fetchone())
        cursor.execute("SELECT * FROM enforcement_report")
        report_row = " ".join(str(v) for v in cursor.fetchone())
    for clear in (NAME, PHONE, "secret_wx_id", "车间工人"):
        assert clear not in row and clear not in report_row
    assert services.reports_by_phone("139-1234-5678").get() == named_report


def test_identity_is_not_in_pages_api_audit_or_excel_for_users_without_permission(
    named_report, county_officer, client_for, api_client_for
):
    client = client_for(county_officer)
    pages = [
        client.get(reverse("enforcement:report_list")),
        client.get(reverse("enforcement:report_detail", args=[named_report.pk])),
        client.get(reverse("enforcement:report_statistics")),
        api_client_for(county_officer).get("/api/v1/whistleblower-reports/"),
        api_client_for(county_officer).get(f"/api/v1/whistleblower-reports/{named_report.pk}/"),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert NAME not in body and PHONE not in body and "secret_wx_id" not in body
    assert "实名（身份受保护）" in pages[1].content.decode()
    assert not pages[1].context["may_reveal"]
    reveal = client.post(reverse("enforcement:report_reveal", args=[named_report.pk]))
    assert reveal.status_code == 403
    export = client.get(reverse("enforcement:report_export"))
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = " ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row)
    assert "小渡口化工有限公司" in cells  # the report is in the export, its reporter not
    assert NAME not in cells and PHONE not in cells
    payloads = " ".join(str(e.payload) for e in AuditEvent.objects.all())
    assert NAME not in payloads and PHONE not in payloads


def test_a_granted_user_reveals_the_identity_and_the_reveal_is_audited(
    named_report, county_officer, client_for
):
    assign_perm("enforcement.reveal_reporter", county_officer, named_report)
    client = client_for(county_officer)
    assert (
        client.get(reverse("enforcement:report_reveal", args=[named_report.pk])).status_code == 405
    )
    response = client.post(reverse("enforcement:report_reveal", args=[named_report.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and NAME in body and PHONE in body
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(verb="report.identity_revealed")
    assert event.actor == county_officer and event.target_id == named_report.pk
    assert NAME not in str(event.payload) and PHONE not in str(event.payload)
    # the detail page itself still shows nothing
    assert (
        NAME
        not in client.get(
            reverse("enforcement:report_detail", args=[named_report.pk])
        ).content.decode()
    )


def test_a_unit_grant_lets_its_holder_reveal_the_units_reports(
    named_report, county, county_officer, department_official
):
    services.accept_report(actor=county_officer, report_id=named_report.pk)
    services.assign_report(actor=county_officer, report_id=named_report.pk, unit=county.department)
    with pytest.raises(StepForbidden):
        services.reveal_identity(actor=department_official, report_id=named_report.pk)
    services.grant_reveal(actor=county_officer, user=department_official, unit=county.department)
    assert (
        services.reveal_identity(actor=department_official, report_id=named_report.pk)["name"]
        == NAME
    )
    with pytest.raises(StepForbidden):
        services.grant_reveal(actor=department_official, user=department_official, unit=county.town)


def test_key_rotation_keeps_identities_readable(named_report, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from enforcement.reports import crypto

    old_token = ReporterIdentity.objects.get().name_token
    old_key = crypto.fernet()._fernets[0]._signing_key + crypto.fernet()._fernets[0]._encryption_key
    import base64

    settings.REPORT_IDENTITY_KEYS = [
        Fernet.generate_key().decode(),
        base64.urlsafe_b64encode(old_key).decode(),
    ]
    call_command("rotate_report_keys", stdout=io.StringIO())
    identity = ReporterIdentity.objects.get()
    assert identity.name_token != old_token
    settings.REPORT_IDENTITY_KEYS = settings.REPORT_IDENTITY_KEYS[:1]  # the old key dropped
    assert crypto.decrypt(identity.name_token) == NAME


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("leader", 200),
        ("department_official", 200),
        ("town_official", 200),
        ("enterprise_manager", 403),
        ("expert", 403),
    ],
)
def test_each_role_reaches_the_list_as_its_rule_says(request, client_for, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("enforcement:report_list")).status_code == status


def test_a_unit_sees_only_the_reports_it_handles(
    named_report, county, county_officer, department_official, town_official, client_for
):
    url = reverse("enforcement:report_detail", args=[named_report.pk])
    assert client_for(department_official).get(url).status_code == 404
    services.accept_report(actor=county_officer, report_id=named_report.pk)
    services.assign_report(actor=county_officer, report_id=named_report.pk, unit=county.department)
    assert client_for(department_official).get(url).status_code == 200
    assert client_for(town_official).get(url).status_code == 404


def test_the_report_list_costs_the_same_queries_for_few_or_many_rows(
    county, county_officer, client_for, django_assert_max_num_queries
):
    client = client_for(county_officer)
    services.submit_report(kind="hazard", enterprise_name="某厂", location="x", description="y")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("enforcement:report_list"))
    for index in range(12):
        services.submit_report(
            kind="violation", enterprise_name=f"某厂{index}", location="x", description="y"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("enforcement:report_list"))
    assert len(few) == len(many)


# --- handling -------------------------------------------------------------------------------


def test_steps_allowed_forbidden_and_wrong_method(
    named_report, county_officer, town_official, client_for
):
    url = reverse("enforcement:report_step", args=[named_report.pk, "accept"])
    assert client_for(county_officer).get(url).status_code == 405
    # a town not handling the report does not even see it
    assert client_for(town_official).post(url, {}).status_code == 404
    response = client_for(county_officer).post(url, {"accept-note": "受理"})
    assert response.status_code == 302
    named_report.refresh_from_db()
    assert named_report.status == ReportStatus.ACCEPTED
    assert named_report.verify_due == named_report.accepted_on + datetime.timedelta(days=60)
    # accepting twice is a state refusal
    assert client_for(county_officer).post(url, {}).status_code == 409


def test_a_leader_may_read_but_not_handle(named_report, leader, client_for):
    url = reverse("enforcement:report_step", args=[named_report.pk, "accept"])
    assert client_for(leader).post(url, {}).status_code == 403


def test_the_routing_suggestion_follows_the_supervision_map(named_report, county):
    assert services.suggest_unit(named_report) == county.department  # industry A -> 应急管理局


def test_verification_extends_once_only(named_report, county, county_officer):
    services.accept_report(actor=county_officer, report_id=named_report.pk)
    services.assign_report(actor=county_officer, report_id=named_report.pk, unit=county.department)
    report = services.extend_verification(
        actor=county_officer, report_id=named_report.pk, days=30, reason="联合核查"
    )
    assert report.verify_due == report.accepted_on + datetime.timedelta(days=90)
    from safetyportal.workflow import StepNotAllowed

    with pytest.raises(StepNotAllowed):
        services.extend_verification(
            actor=county_officer, report_id=named_report.pk, days=5, reason="再延"
        )


def _through_verification(
    report, county, county_officer, department_official, outcome="substantiated"
):
    services.accept_report(actor=county_officer, report_id=report.pk)
    services.assign_report(actor=county_officer, report_id=report.pk, unit=county.department)
    services.verify_report(
        actor=department_official, report_id=report.pk, outcome=outcome, findings="属实"
    )


def test_a_substantiated_report_becomes_a_linked_hazard_in_one_step(
    named_report, county, county_officer, department_official
):
    _through_verification(named_report, county, county_officer, department_official)
    report = services.convert_to_hazard(
        actor=department_official,
        report_id=named_report.pk,
        location="仓库",
        description="消防通道堵塞",
        deadline=datetime.date.today() + datetime.timedelta(days=10),
        responsible_person="王厂长",
    )
    assert report.hazard.source == "public_report" and report.hazard.enterprise == county.xdk_chem
    from safetyportal.workflow import StepNotAllowed

    with pytest.raises(StepNotAllowed):
        services.convert_to_hazard(
            actor=department_official,
            report_id=named_report.pk,
            location="x",
            description="y",
            deadline=datetime.date.today(),
            responsible_person="z",
        )


def test_an_unsubstantiated_report_cannot_be_converted_or_rewarded(
    named_report, county, county_officer, department_official, client_for
):
    _through_verification(
        named_report, county, county_officer, department_official, "unsubstantiated"
    )
    url = reverse("enforcement:report_step", args=[named_report.pk, "reward"])
    response = client_for(department_official).post(
        url, {"reward-basis": "fine_share", "reward-fine": "1000"}
    )
    assert response.status_code == 409


# --- rewards ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"basis": "fine_share", "fine": Decimal("10000")}, Decimal("3000.00")),  # the floor
        ({"basis": "fine_share", "fine": Decimal("100000")}, Decimal("15000.00")),
        ({"basis": "fine_share", "fine": Decimal("5000000")}, Decimal("300000.00")),  # the cap
        (
            {"basis": "concealed_death", "deaths": 2, "accident_grade": "larger"},
            Decimal("80000.00"),
        ),
        (
            {"basis": "concealed_death", "deaths": 9, "accident_grade": "major"},
            Decimal("300000.00"),
        ),
    ],
)
def test_rewards_follow_the_rules(db, kwargs, expected):
    ensure_reward_rules()
    args = {"fine": None, "deaths": None, "accident_grade": "", **kwargs}
    assert compute(whistleblower=False, **args).amount == expected


def test_the_whistleblower_uplift_adds_twenty_percent(db):
    ensure_reward_rules()
    result = compute(
        basis="fine_share",
        fine=Decimal("100000"),
        deaths=None,
        accident_grade="",
        whistleblower=True,
    )
    assert (result.base, result.uplift, result.amount) == (
        Decimal("15000.00"),
        Decimal("3000.00"),
        Decimal("18000.00"),
    )


def test_a_reward_is_computed_approved_by_the_county_office_and_paid(
    named_report, county, county_officer, department_official
):
    ensure_reward_rules()
    _through_verification(named_report, county, county_officer, department_official)
    reward = services.compute_reward(
        actor=department_official,
        report_id=named_report.pk,
        basis="fine_share",
        fine=Decimal("40000"),
    )
    assert reward.amount == Decimal("7200.00")  # 6,000 + 20 % (吹哨人)
    with pytest.raises(StepForbidden):
        services.approve_reward(actor=department_official, report_id=named_report.pk)
    services.approve_reward(actor=county_officer, report_id=named_report.pk)
    reward = services.pay_reward(
        actor=county_officer, report_id=named_report.pk, paid_on=datetime.date.today()
    )
    assert reward.status == RewardStatus.PAID


# --- statistics, the appraisal indicator, reminders -------------------------------------------


def test_handled_within_deadline_counts_on_time_and_late_reports(
    county, county_officer, department_official
):
    reports = [
        services.submit_report(
            kind="hazard", enterprise_name=county.xdk_chem.name, location="x", description=str(i)
        )
        for i in range(3)
    ]
    for report in reports:
        _through_verification(
            report, county, county_officer, department_official
        ) if report is reports[0] else (
            services.accept_report(actor=county_officer, report_id=report.pk),
            services.assign_report(
                actor=county_officer, report_id=report.pk, unit=county.department
            ),
        )
    services.give_feedback(actor=department_official, report_id=reports[0].pk, feedback="ok")
    Report.objects.filter(pk=reports[1].pk).update(verify_due=datetime.date(2000, 1, 1))
    today = datetime.date.today()
    figures = statistics.handled_within_deadline(
        county.department.pk, today - datetime.timedelta(days=1), today, today
    )
    assert (figures.accepted, figures.on_time, figures.late, figures.pending) == (3, 1, 1, 1)
    assert figures.late_ids == [reports[1].pk]


def test_the_statistics_page_has_no_identities_and_counts(named_report, county_officer, client_for):
    response = client_for(county_officer).get(reverse("enforcement:report_statistics"))
    assert response.context["totals"]["received"] == 1
    assert NAME not in response.content.decode()


def test_reminders_are_sent_once_per_deadline(named_report, county_officer):
    from enforcement.reports.reminders import send_deadline_reminders

    later = named_report.accept_due
    assert send_deadline_reminders(later) == 1
    assert send_deadline_reminders(later) == 0


def test_the_api_lists_without_identity_and_steps_follow_the_rules(
    named_report, county_officer, town_official, api_client_for
):
    api = api_client_for(county_officer)
    body = api.get("/api/v1/whistleblower-reports/").json()
    assert body["count"] == 1 and "receipt_code" not in body["results"][0]
    assert (
        api_client_for(town_official)
        .post(f"/api/v1/whistleblower-reports/{named_report.pk}/accept/", {})
        .status_code
        == 404
    )
    assert (
        api.post(f"/api/v1/whistleblower-reports/{named_report.pk}/accept/", {}).status_code == 200
    )
