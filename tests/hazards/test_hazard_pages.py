"""The ledger pages: who sees what, each step's allowed / forbidden / wrong-method answers,
constant query counts, the Excel export, uploads and the access-checked attachments."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from hazards import services
from hazards.models import AttachmentKind, Hazard, HazardAttachment, HazardStatus
from tests.factories import evidence_photo
from tests.hazards.conftest import days
from tests.hazards.factories import HazardFactory

S = HazardStatus


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def one_per_enterprise(county, town_official):
    return {
        key: HazardFactory(enterprise=getattr(county, key), location=f"{key}-部位")
        for key in ("xdk_chem", "xdk_build", "ly_chem", "ly_build")
    }


ALL = {"xdk_chem", "xdk_build", "ly_chem", "ly_build"}
VISIBLE = {
    "county_officer": ALL,
    "leader": ALL,
    "department_official": {"xdk_chem", "ly_chem"},
    "town_official": {"xdk_chem", "xdk_build"},
    "other_town_official": {"ly_chem", "ly_build"},
    "enterprise_manager": {"xdk_build"},
    "expert": {"ly_build"},
    "outsider": set(),
}


@pytest.mark.parametrize("persona", VISIBLE)
def test_each_role_sees_only_its_hazards_on_the_page_and_the_api(
    persona, request, one_per_enterprise, client_for, api_client_for
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("hazards:list"))
    assert response.status_code == 200
    shown = {h.location.removesuffix("-部位") for h in response.context["page"]}
    assert shown == VISIBLE[persona]
    api = api_client_for(user).get("/api/v1/hazards/")
    assert api.status_code == 200
    assert {row["location"].removesuffix("-部位") for row in api.json()["results"]} == VISIBLE[
        persona
    ]


def test_hazard_out_of_scope_is_404(one_per_enterprise, client_for, town_official):
    other = one_per_enterprise["ly_build"]
    assert (
        client_for(town_official).get(reverse("hazards:detail", args=[other.pk])).status_code == 404
    )


def test_anonymous_user_is_sent_to_login(client, one_per_enterprise):
    response = client.get(reverse("hazards:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_filters_narrow_the_list(one_per_enterprise, client_for, county_officer, county):
    HazardFactory(enterprise=county.xdk_chem, deadline=days(-2), found_on=days(-20))
    client = client_for(county_officer)
    page = client.get(reverse("hazards:list"), {"overdue": "true"}).context["page"]
    assert [h.deadline for h in page] == [days(-2)]
    page = client.get(reverse("hazards:list"), {"town": county.other_town.pk}).context["page"]
    assert {h.enterprise_id for h in page} == {county.ly_chem.pk, county.ly_build.pk}
    page = client.get(reverse("hazards:list"), {"q": "澧阳化工"}).context["page"]
    assert [h.enterprise_id for h in page] == [county.ly_chem.pk]
    page = client.get(reverse("hazards:list"), {"found_before": days(-10).isoformat()}).context[
        "page"
    ]
    assert len(page.object_list) == 1
    response = client.get(reverse("hazards:list"), {"ordering": "drop table"})
    assert response.status_code == 200  # a bad ordering is ignored, never reaches order_by


def add_hazards(county, count: int) -> None:
    enterprises = (county.xdk_chem, county.xdk_build, county.ly_chem, county.ly_build)
    Hazard.objects.bulk_create(
        [HazardFactory.build(enterprise=enterprises[i % 4]) for i in range(count)]
    )


@pytest.mark.parametrize("persona", ["county_officer", "town_official", "department_official"])
@pytest.mark.parametrize("url_name", ["hazards:list", "hazards:export"])
def test_list_and_export_cost_the_same_queries_for_10_and_200_rows(
    persona, url_name, request, county, client_for, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse(url_name)
    add_hazards(county, 10)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        if url_name == "hazards:export":
            b"".join(response.streaming_content)

    fetch()  # warm up: session, content types
    with CaptureQueriesContext(connection) as small:
        fetch()
    add_hazards(county, 190)
    with django_assert_num_queries(len(small.captured_queries)):
        fetch()


def test_export_contains_exactly_the_filtered_list(
    one_per_enterprise, client_for, county_officer, county
):
    response = client_for(county_officer).get(reverse("hazards:export"), {"town": county.town.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("隐患编号", "隐患单位", "镇街")
    assert {row[1] for row in rows[1:]} == {county.xdk_chem.name, county.xdk_build.name}


def test_export_has_widths_a_frozen_header_and_an_auto_filter(
    one_per_enterprise, client_for, county_officer
):
    from hazards.export import HEADER, WIDTHS

    response = client_for(county_officer).get(reverse("hazards:export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{sheet.max_row}"
    assert sheet.max_row == 5  # the header and one hazard per enterprise
    assert sheet["A1"].font.b
    assert len(WIDTHS) == len(HEADER)
    # 隐患描述, the widest: shown WIDTHS[8] characters wide (the file stores Excel's padding)
    assert int(sheet.column_dimensions["I"].width) == WIDTHS[8]


def test_list_re_rendered_by_htmx_sends_the_export_link_with_the_new_query(
    client_for, county_officer, county
):
    response = client_for(county_officer).get(
        reverse("hazards:list"), {"town": county.town.pk, "page": 2}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'id="export-link"' in page and 'hx-swap-oob="true"' in page
    assert f'href="{reverse("hazards:export")}?town={county.town.pk}"' in page


def test_enterprise_reports_a_hazard_with_a_photo(client_for, enterprise_manager, county):
    photo = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    response = client_for(enterprise_manager).post(
        reverse("hazards:create"),
        {
            "enterprise": county.xdk_build.pk,
            "source": "self_check",
            "location": "仓库",
            "description": "灭火器过期",
            "found_on": days(0).isoformat(),
            "deadline": days(7).isoformat(),
            "responsible_person": "周经理",
            "photos": [photo],
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert hazard.attachments.get().content_type == "image/png"


def test_upload_checked_by_content_not_name(client_for, enterprise_manager, county):
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client_for(enterprise_manager).post(
        reverse("hazards:create"),
        {
            "enterprise": county.xdk_build.pk,
            "source": "self_check",
            "location": "仓库",
            "description": "灭火器过期",
            "found_on": days(0).isoformat(),
            "deadline": days(7).isoformat(),
            "responsible_person": "周经理",
            "photos": [fake],
        },
    )
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    assert not Hazard.objects.exists()


def test_upload_over_the_size_limit_is_refused(settings, client_for, enterprise_manager, hazard):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.7\n" + b"0" * 2048, content_type="application/pdf")
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    response = client_for(enterprise_manager).post(
        reverse("hazards:step", args=[hazard.pk, "submit"]),
        {"submit-note": "已整改", "submit-files": [big]},
    )
    assert response.status_code == 400
    assert "超过" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == S.RECTIFYING


def test_attachments_are_served_only_to_those_who_see_the_hazard(
    client_for, enterprise_manager, other_town_official, town_official, hazard
):
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager,
        hazard_id=hazard.pk,
        note="已整改",
        files=[SimpleUploadedFile("证据.png", png_bytes())],
    )
    attachment = HazardAttachment.objects.get()
    url = reverse("hazards:attachment", args=[attachment.pk])
    response = client_for(town_official).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert client_for(other_town_official).get(url).status_code == 404
    assert (
        "/media/"
        not in client_for(town_official)
        .get(reverse("hazards:detail", args=[hazard.pk]))
        .content.decode()
    )


def big_photo(name="现场.jpg", size=(2000, 1500)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, format="JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_photos_are_shown_as_labelled_thumbnails_not_full_images(
    settings, tmp_path, client_for, enterprise_manager, town_official, other_town_official, hazard
):
    settings.MEDIA_ROOT = tmp_path
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[big_photo()]
    )
    attachment = HazardAttachment.objects.get()
    url = reverse("hazards:attachment", args=[attachment.pk])
    page = client_for(town_official).get(reverse("hazards:detail", args=[hazard.pk])).content
    page = page.decode()
    assert f'src="{url}?size=thumb"' in page
    assert f'src="{url}"' not in page
    assert "整改证据（整改后）" in page
    response = client_for(town_official).get(url, {"size": "thumb"})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert len(response.content) < 60_000 < attachment.size
    assert max(Image.open(io.BytesIO(response.content)).size) == 320
    assert client_for(other_town_official).get(url, {"size": "thumb"}).status_code == 404
    assert client_for(town_official).get(url, {"size": "huge"}).status_code == 404
    assert client_for(town_official).post(url, {"size": "thumb"}).status_code == 405


def test_a_general_rectification_needs_a_photo_or_file(hazard, enterprise_manager):
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    with pytest.raises(ValidationError, match="提交整改须上传至少一张整改后的照片"):
        services.submit_rectification(actor=enterprise_manager, hazard_id=hazard.pk, note="已整改")
    assert Hazard.objects.get(pk=hazard.pk).status == S.RECTIFYING


def test_verification_passes_without_an_opinion_and_keeps_the_on_site_photo(
    settings, tmp_path, client_for, hazard, enterprise_manager, town_official
):
    settings.MEDIA_ROOT = tmp_path
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    verify = reverse("hazards:step", args=[hazard.pk, "verify"])
    response = client_for(town_official).post(verify, {"verify-passed": "0"})
    assert response.status_code == 400
    assert "不通过时须填写书面说明" in response.content.decode()
    response = client_for(town_official).post(
        verify, {"verify-passed": "1", "verify-photos": [evidence_photo("核查.png")]}
    )
    assert response.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == S.CLOSED
    photo = HazardAttachment.objects.get(kind=AttachmentKind.VERIFICATION)
    assert photo.uploaded_by == town_official
    page = client_for(town_official).get(reverse("hazards:detail", args=[hazard.pk]))
    assert "现场核查照片" in page.content.decode()


# --- each step: allowed / forbidden / wrong method ----------------------------------------


def test_start_step_allowed_forbidden_and_wrong_method(
    client_for, hazard, enterprise_manager, leader, other_town_official
):
    url = reverse("hazards:step", args=[hazard.pk, "start"])
    assert client_for(enterprise_manager).get(url).status_code == 405
    response = client_for(leader).post(url)
    assert response.status_code == 403
    assert "只能查看" in response.content.decode()
    assert client_for(other_town_official).post(url).status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED
    assert client_for(enterprise_manager).post(url).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == S.RECTIFYING


def test_submit_and_verify_steps_through_the_pages(
    client_for, hazard, enterprise_manager, town_official
):
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    submit = reverse("hazards:step", args=[hazard.pk, "submit"])
    verify = reverse("hazards:step", args=[hazard.pk, "verify"])
    assert client_for(enterprise_manager).get(submit).status_code == 405
    response = client_for(enterprise_manager).post(submit, {"submit-note": ""})
    assert response.status_code == 400  # note required
    response = client_for(enterprise_manager).post(submit, {"submit-note": "已整改"})
    assert response.status_code == 400  # no photo or file
    assert "提交整改须上传至少一张整改后的照片" in response.content.decode()
    response = client_for(enterprise_manager).post(
        submit, {"submit-note": "已整改", "submit-files": [evidence_photo()]}
    )
    assert response.status_code == 302
    response = client_for(enterprise_manager).post(
        verify, {"verify-passed": "1", "verify-opinion": "自己说合格"}
    )
    assert response.status_code == 403
    assert "企业不能核查自己的整改" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == S.SUBMITTED
    assert client_for(town_official).get(verify).status_code == 405
    response = client_for(town_official).post(
        verify, {"verify-passed": "1", "verify-opinion": "现场核查合格"}
    )
    assert response.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == S.CLOSED


def test_step_from_a_wrong_state_answers_409(client_for, hazard, town_official):
    url = reverse("hazards:step", args=[hazard.pk, "verify"])
    response = client_for(town_official).post(url, {"verify-passed": "1", "verify-opinion": "x"})
    assert response.status_code == 409
    assert "不能执行" in response.content.decode()


@pytest.mark.parametrize(
    ("step", "data"),
    [
        (
            "determine",
            {
                "determine-list_number": "LX-9",
                "determine-level": "county",
                "determine-determined_on": days(0).isoformat(),
                "determine-determination_basis": "专题会议",
            },
        ),
        ("void", {"void-reason": "误录"}),
    ],
)
def test_county_only_steps_allowed_forbidden_and_wrong_method(
    step, data, client_for, hazard, county_officer, town_official
):
    url = reverse("hazards:step", args=[hazard.pk, step])
    assert client_for(county_officer).get(url).status_code == 405
    response = client_for(town_official).post(url, data)
    assert response.status_code == 403
    assert "只有县安委办" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == S.REPORTED
    assert client_for(county_officer).post(url, data).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status != S.REPORTED


def test_assign_progress_and_extension_steps_through_the_pages(
    client_for, hazard, determine, county_officer, enterprise_manager, town_official, county
):
    determine(hazard)
    assign = reverse("hazards:step", args=[hazard.pk, "assign"])
    data = {
        "assign-slip_number": "JB-1",
        "assign-responsible_unit": county.xdk_build.name,
        "assign-supervising_unit": county.other_department.pk,
        "assign-deadline": days(30).isoformat(),
        "assign-responsible_person": "周经理",
        "assign-measures": "加固",
        "assign-funds_amount": "-1",
        "assign-funds_source": "自筹",
        "assign-contingency_measures": "警戒",
    }
    assert client_for(county_officer).get(assign).status_code == 405
    assert client_for(county_officer).post(assign, data).status_code == 400  # negative funds
    assert (
        client_for(town_official).post(assign, {**data, "assign-funds_amount": "3"}).status_code
        == 403
    )
    assert Hazard.objects.get(pk=hazard.pk).status == S.DETERMINED
    response = client_for(county_officer).post(assign, {**data, "assign-funds_amount": "3"})
    assert response.status_code == 302
    progress = reverse("hazards:step", args=[hazard.pk, "progress"])
    assert client_for(enterprise_manager).get(progress).status_code == 405
    bad = {
        "progress-entry_date": days(0).isoformat(),
        "progress-percent": "120",
        "progress-note": "x",
    }
    assert client_for(enterprise_manager).post(progress, bad).status_code == 400
    good = {**bad, "progress-percent": "40"}
    assert client_for(enterprise_manager).post(progress, good).status_code == 302
    assert hazard.progress_entries.get().percent == 40
    request_url = reverse("hazards:step", args=[hazard.pk, "request-extension"])
    ext = {
        "request_extension-requested_deadline": days(50).isoformat(),
        "request_extension-reason": "设备延期",
    }
    assert client_for(enterprise_manager).get(request_url).status_code == 405
    assert client_for(county_officer).post(request_url, ext).status_code == 403
    assert client_for(enterprise_manager).post(request_url, ext).status_code == 302
    decide = reverse("hazards:step", args=[hazard.pk, "decide-extension"])
    decision = {"decide_extension-approve": "1", "decide_extension-note": "同意"}
    assert client_for(enterprise_manager).post(decide, decision).status_code == 403
    assert client_for(county_officer).post(decide, decision).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).deadline == days(50)


def test_unknown_step_is_404(client_for, hazard, county_officer):
    url = reverse("hazards:step", args=[hazard.pk, "delete"])
    assert client_for(county_officer).post(url).status_code == 404


def test_detail_shows_the_timeline_and_only_usable_forms(
    client_for, hazard, enterprise_manager, town_official
):
    page = client_for(enterprise_manager).get(reverse("hazards:detail", args=[hazard.pk]))
    html = page.content.decode()
    assert "登记了隐患" in html
    assert set(page.context["forms"]) == {"start", "progress"} - {"progress"}
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    page = client_for(town_official).get(reverse("hazards:detail", args=[hazard.pk]))
    assert "verify" in page.context["forms"]
    assert "提交了整改情况" in page.content.decode()


def test_slip_pdf_is_rendered_for_those_who_see_it(
    client_for, major, county_officer, other_town_official
):
    url = reverse("hazards:slip_pdf", args=[major.pk])
    response = client_for(county_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(other_town_official).get(url).status_code == 404


def test_bulletin_pages(client_for, major, county_officer, town_official, enterprise_manager):
    create = reverse("hazards:bulletin_create")
    assert client_for(county_officer).get(create).status_code == 405
    assert client_for(town_official).post(create).status_code == 403
    response = client_for(county_officer).post(create)
    assert response.status_code == 302
    detail = client_for(town_official).get(response["Location"])
    assert "LX-2026-001" in detail.content.decode()
    assert client_for(enterprise_manager).get(reverse("hazards:bulletins")).status_code == 403


def test_interview_draft_is_for_the_county(client_for, county_officer, town_official, major):
    Hazard.objects.filter(pk=major.pk).update(escalation_level=4, deadline=days(-20))
    page = client_for(county_officer).get(reverse("hazards:interviews"))
    assert page.status_code == 200
    assert "小渡口建筑工程公司" in page.content.decode()
    assert client_for(town_official).get(reverse("hazards:interviews")).status_code == 403


def test_accountability_step_allowed_forbidden_and_wrong_method(
    client_for, major, county_officer, town_official, county
):
    url = reverse("hazards:step", args=[major.pk, "accountability"])
    data = {
        "accountability-kind": "interview",
        "accountability-unit": county.xdk_build.name,
        "accountability-decided_on": days(0).isoformat(),
        "accountability-note": "逾期未整改，约谈主要负责人",
    }
    assert client_for(county_officer).get(url).status_code == 405
    assert client_for(town_official).post(url, data).status_code == 403
    assert not major.accountability.exists()
    response = client_for(county_officer).post(url, {**data, "accountability-kind": "fine"})
    assert response.status_code == 400
    assert client_for(county_officer).post(url, data).status_code == 302
    assert major.accountability.get().kind == "interview"


def test_report_page_forbidden_for_leaders_and_wrong_method(client_for, leader, town_official):
    url = reverse("hazards:create")
    assert client_for(leader).get(url).status_code == 403
    assert client_for(town_official).put(url).status_code == 405
    assert client_for(town_official).get(url).status_code == 200


def test_risk_point_form_wrong_method(client_for, enterprise_manager):
    assert client_for(enterprise_manager).put(reverse("hazards:risk_create")).status_code == 405


@pytest.mark.parametrize(
    "persona",
    ["county_officer", "leader", "town_official", "department_official", "enterprise_manager"],
)
def test_home_page_shows_the_hazard_todo_card(persona, request, client_for, hazard):
    HazardFactory(enterprise=hazard.enterprise, deadline=days(-1), found_on=days(-10))
    response = client_for(request.getfixturevalue(persona)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="hazard-todo"' in html
    expected = "0" if persona == "department_official" else "1"  # xdk_build is not 应急管理局's
    assert f'data-testid="todo-overdue">{expected}<' in html


def test_progress_accepts_a_pdf_and_rejects_a_broken_image(client_for, major, enterprise_manager):
    url = reverse("hazards:step", args=[major.pk, "progress"])
    data = {
        "progress-entry_date": days(0).isoformat(),
        "progress-percent": "30",
        "progress-note": "方案评审",
    }
    broken = SimpleUploadedFile("坏图.png", png_bytes()[:40], content_type="image/png")
    response = client_for(enterprise_manager).post(url, {**data, "progress-files": [broken]})
    assert response.status_code == 400
    assert "已损坏或无法识别" in response.content.decode()
    assert not major.progress_entries.exists()
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    response = client_for(enterprise_manager).post(url, {**data, "progress-files": [pdf]})
    assert response.status_code == 302
    attachment = major.progress_entries.get().attachments.get()
    assert attachment.content_type == "application/pdf"
    download = client_for(enterprise_manager).get(
        reverse("hazards:attachment", args=[attachment.pk])
    )
    assert download["Content-Disposition"].startswith("attachment")
    b"".join(download.streaming_content)


def test_export_writes_formula_like_text_as_text(report, client_for, county_officer):
    report(description='=HYPERLINK("http://evil.example","点击")', location="-1+2")
    response = client_for(county_officer).get(reverse("hazards:export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    row = list(workbook.active.iter_rows(min_row=2, max_row=2))[0]
    description, location = row[8], row[7]
    assert description.data_type == "s"
    assert description.value == '\'=HYPERLINK("http://evil.example","点击")'
    assert location.data_type == "s"
    assert location.value.startswith("'")


def test_major_hazard_application_to_close_needs_evidence_on_the_page(
    client_for, progressed, enterprise_manager
):
    major = progressed
    url = reverse("hazards:step", args=[major.pk, "submit"])
    client = client_for(enterprise_manager)
    response = client.post(url, {"submit-note": "申请销号"})
    assert response.status_code == 400
    assert "须上传至少一份整改证据" in response.content.decode()
    assert Hazard.objects.get(pk=major.pk).status == S.RECTIFYING
    evidence = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"submit-note": "申请销号", "submit-files": [evidence]})
    assert response.status_code == 302
    assert Hazard.objects.get(pk=major.pk).status == S.SUBMITTED
    assert major.attachments.get(kind="evidence")


def test_accountability_form_is_not_offered_on_a_voided_major_hazard(
    client_for, major, county_officer
):
    url = reverse("hazards:detail", args=[major.pk])
    assert "accountability" in client_for(county_officer).get(url).context["forms"]
    services.void_hazard(actor=county_officer, hazard_id=major.pk, reason="重复录入")
    assert "accountability" not in client_for(county_officer).get(url).context["forms"]
