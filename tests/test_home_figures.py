"""Every figure on a home page opens the list it counts: follow each figure's link and the
list's total equals the figure (issue 8 item 14)."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from hazards.models import DeadlineExtension, ExtensionStatus, HazardClass, HazardStatus
from tests.factories import EnterpriseFactory, IndustryFactory, valid_uscc
from tests.hazards.factories import HazardFactory

FIGURE = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-figure="(\d+)"')


@pytest.fixture
def ledger(county, county_officer):
    """Hazards in every status, closed major ones among them, a pending extension, and an
    enterprise whose industry no department supervises (监管空白)."""
    today = timezone.localdate()
    for key in ("xdk_chem", "xdk_build", "ly_chem", "ly_build"):
        enterprise = getattr(county, key)
        for status in HazardStatus.values:
            HazardFactory(enterprise=enterprise, status=status)
            HazardFactory(enterprise=enterprise, status=status, hazard_class=HazardClass.MAJOR)
        HazardFactory(
            enterprise=enterprise,
            status=HazardStatus.RECTIFYING,
            deadline=today - datetime.timedelta(days=3),
        )
    pending = HazardFactory(enterprise=county.xdk_build, status=HazardStatus.RECTIFYING)
    DeadlineExtension.objects.create(
        hazard=pending,
        old_deadline=pending.deadline,
        requested_deadline=pending.deadline + datetime.timedelta(days=10),
        reason="设备到货延迟",
        status=ExtensionStatus.PENDING,
        requested_by=county_officer,
    )
    EnterpriseFactory(
        name="无人监管的新业态公司", town=county.town, industry=IndustryFactory(name="新业态")
    )


def figures_on_home(client) -> list[tuple[str, int]]:
    page = client.get("/").content.decode()
    return [(unescape(href), int(n)) for href, n in FIGURE.findall(page)]


@pytest.mark.parametrize(
    ("persona", "at_least"),
    [
        ("county_officer", 9),
        ("leader", 7),
        ("department_official", 5),
        ("town_official", 5),
        ("enterprise_manager", 3),
    ],
)
def test_every_home_figure_opens_a_list_of_that_many_rows(
    persona, at_least, request, ledger, client_for
):
    client = client_for(request.getfixturevalue(persona))
    figures = figures_on_home(client)
    assert len(figures) >= at_least, figures
    for href, figure in figures:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["page"].paginator.count == figure, (persona, href)


def test_county_figures_include_the_unsupervised_list(ledger, county_officer, client_for):
    client = client_for(county_officer)
    links = dict(figures_on_home(client))
    assert links["/enterprises/?unsupervised=true"] == 1
    page = client.get("/enterprises/?unsupervised=true").content.decode()
    assert "无人监管的新业态公司" in page and "小渡口化工有限公司" not in page
    assert links["/hazards/?hazard_class=major&stage=open"] == 16


# --- kept figures (safetyportal/core/figures.py, ADR 0017) ----------------------------------
# A figure is kept per scope until a write changes what it counts: each test changes the
# data the way the portal does (a service), and the next home page already shows it.

OVERDUE = "/hazards/?overdue=true"
SUBMITTED = "/hazards/?status=submitted"
TO_RECTIFY = "/hazards/?stage=to_rectify"
MAJOR_OPEN = "/hazards/?hazard_class=major&stage=open"
EXTENSIONS = "/hazards/?pending_extension=true"
REGISTRY = "/enterprises/"
HIGH_RISK = "/enterprises/?is_high_risk=true"
UNSUPERVISED = "/enterprises/?unsupervised=true"


def checked_figures(client) -> dict[str, int]:
    """The home page's figures by link, each checked against the list it opens."""
    figures = figures_on_home(client)
    for href, figure in figures:
        assert client.get(href).context["page"].paginator.count == figure, href
    return dict(figures)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("整改后.png", buffer.getvalue(), content_type="image/png")


def report(county, actor, *, enterprise=None, **overrides):
    from hazards import services

    values = {
        "actor": actor,
        "enterprise": enterprise or county.xdk_build,
        "source": "inspection",
        "description": "脚手架连墙件缺失",
        "location": "3号楼施工现场",
        "deadline": days(20),
        "responsible_person": "周经理",
        **overrides,
    }
    return services.report_hazard(**values)


def test_a_home_page_seen_twice_reads_its_figures_once(
    ledger, county_officer, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(county_officer)
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    counted = [q["sql"] for q in second.captured_queries if "COUNT(" in q["sql"]]
    assert len(second.captured_queries) < len(first.captured_queries)
    assert not [sql for sql in counted if "hazards_hazard" in sql or "enterprises_" in sql]
    # the topics' tokens are read once for the whole page, not once per card
    tokens = [q for q in second.captured_queries if "core_figurechange" in q["sql"]]
    assert len(tokens) == 1


def test_each_hazard_step_through_the_services_moves_the_figures_at_once(
    county, town_official, enterprise_manager, client_for, settings, tmp_path
):
    from hazards import services

    settings.MEDIA_ROOT = tmp_path
    town, own = client_for(town_official), client_for(enterprise_manager)
    assert checked_figures(town)[OVERDUE] == 0 and checked_figures(own)[TO_RECTIFY] == 0

    hazard = report(county, town_official, found_on=days(-10), deadline=days(-1))
    assert checked_figures(town)[OVERDUE] == 1
    assert checked_figures(own)[TO_RECTIFY] == 1

    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    services.submit_rectification(
        actor=enterprise_manager, hazard_id=hazard.pk, note="已完成", files=[photo()]
    )
    figures = checked_figures(town)
    assert (figures[SUBMITTED], figures[OVERDUE]) == (1, 1)
    assert checked_figures(own)[TO_RECTIFY] == 0

    services.verify_rectification(actor=town_official, hazard_id=hazard.pk, passed=True)
    figures = checked_figures(town)
    assert (figures[SUBMITTED], figures[OVERDUE]) == (0, 0)


def test_an_extension_requested_and_decided_moves_the_figures_at_once(
    county, county_officer, town_official, enterprise_manager, client_for, monkeypatch
):
    from hazards import services

    hazard = report(county, town_official, deadline=days(2))
    services.start_rectification(actor=enterprise_manager, hazard_id=hazard.pk)
    client = client_for(county_officer)
    assert checked_figures(client)[EXTENSIONS] == 0
    services.request_extension(
        actor=enterprise_manager, hazard_id=hazard.pk, requested_deadline=days(30), reason="缺料"
    )
    later = days(5)  # the old deadline has passed; the request still waits
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    figures = checked_figures(client)
    assert (figures[EXTENSIONS], figures[OVERDUE]) == (1, 1)
    services.decide_extension(actor=county_officer, hazard_id=hazard.pk, approve=True)
    figures = checked_figures(client)
    assert (figures[EXTENSIONS], figures[OVERDUE]) == (0, 0)


def test_a_voided_hazard_leaves_the_figures_at_once(
    county, county_officer, town_official, client_for
):
    from hazards import services

    hazard = report(county, town_official, found_on=days(-10), deadline=days(-1))
    client = client_for(town_official)
    assert checked_figures(client)[OVERDUE] == 1
    services.void_hazard(actor=county_officer, hazard_id=hazard.pk, reason="重复登记")
    assert checked_figures(client)[OVERDUE] == 0


def test_a_major_hazard_determined_counts_at_once(
    county, county_officer, town_official, client_for
):
    from hazards import services

    hazard = report(county, town_official)
    client = client_for(county_officer)
    assert checked_figures(client)[MAJOR_OPEN] == 0
    services.determine_major_hazard(
        actor=county_officer,
        hazard_id=hazard.pk,
        list_number="LX-2026-001",
        determination_basis="专题会议纪要",
        determined_on=timezone.localdate(),
        is_supervised=True,
    )
    assert checked_figures(client)[MAJOR_OPEN] == 1


def test_registry_changes_move_the_figures_at_once(
    county, county_officer, department_official, client_for
):
    from enterprises.registry.services import register_enterprise, update_enterprise

    office, department = client_for(county_officer), client_for(department_official)
    before, before_department = checked_figures(office), checked_figures(department)
    report(county, county_officer, enterprise=county.ly_build, found_on=days(-5), deadline=days(-1))
    assert checked_figures(department)[OVERDUE] == before_department[OVERDUE]

    register_enterprise(
        actor=county_officer,
        name="无人监管的新业态公司",
        uscc=valid_uscc(90001),
        town=county.town,
        industry=IndustryFactory(name="新业态"),
        address="澧县新路1号",
        employee_count=5,
        legal_representative="张三",
        principal_name="李四",
    )
    figures = checked_figures(office)
    assert figures[REGISTRY] == before[REGISTRY] + 1
    assert figures[UNSUPERVISED] == before[UNSUPERVISED] + 1

    # ly_build moves into the department's industry: its enterprise and its overdue
    # hazard come into the department's figures
    update_enterprise(actor=county_officer, enterprise=county.ly_build, industry=county.industry_a)
    figures = checked_figures(department)
    assert figures[REGISTRY] == before_department[REGISTRY] + 1
    assert figures[OVERDUE] == before_department[OVERDUE] + 1
    update_enterprise(actor=county_officer, enterprise=county.ly_build, is_high_risk=True)
    assert checked_figures(office)[HIGH_RISK] == before[HIGH_RISK] + 1


def test_a_new_supervision_assignment_moves_the_department_figures_at_once(
    county, department_official, client_for
):
    from tests.factories import AssignmentFactory

    industry = IndustryFactory(name="新业态")
    EnterpriseFactory(town=county.town, industry=industry)
    client = client_for(department_official)
    before = checked_figures(client)[REGISTRY]
    assert f"?industry={industry.pk}" not in client.get("/").content.decode()
    AssignmentFactory(
        supervision_map=county.supervision_map, industry=industry, department=county.department
    )
    assert checked_figures(client)[REGISTRY] == before + 1
    # the department's card of industries follows at once too
    assert f"?industry={industry.pk}" in client.get("/").content.decode()


def test_a_submitted_self_assessment_awaits_review_at_once(
    county, town_official, enterprise_manager, client_for
):
    from enterprises.assessment import services
    from tests.enterprises.assessment.inputs import save_answers
    from tests.enterprises.factories_duties import PeriodFactory, small_template

    small_template()
    period = PeriodFactory(year=timezone.localdate().year)
    client = client_for(town_official)

    def awaiting() -> int:
        page = client.get("/").content.decode()
        return int(re.search(r"待审核的自评</a>：(\d+)", page).group(1))

    assert awaiting() == 0
    assessment = services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=period
    )
    ids = dict(assessment.answers.values_list("code", "pk"))
    answers = {
        ids[code]: {"score": score, "note": "", "not_applicable": False}
        for code, score in {"A1": "10", "B1": "9", "G1": "8", "G2": "4"}.items()
    }
    save_answers(actor=enterprise_manager, assessment=assessment, answers=answers, submit=True)
    assert awaiting() == 1


def test_overdue_figures_follow_the_date_without_a_write(
    county, town_official, client_for, monkeypatch
):
    report(county, town_official, deadline=days(3))
    client = client_for(town_official)
    assert checked_figures(client)[OVERDUE] == 0
    later = days(5)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert checked_figures(client)[OVERDUE] == 1


def test_each_scope_keeps_its_own_figures(
    county, town_official, other_town_official, department_official, county_officer, client_for
):
    """A figure kept for one town (or department) is never shown to another."""
    for _ in range(2):
        report(county, county_officer, found_on=days(-10), deadline=days(-1))
    report(county, county_officer, enterprise=county.ly_chem, found_on=days(-10), deadline=days(-1))
    seen = {}
    for user in (town_official, other_town_official, department_official, county_officer):
        client = client_for(user)
        client.get("/")  # kept now
        seen[user.username] = checked_figures(client)  # served kept, checked against lists
    assert seen["town_official"][OVERDUE] == 2
    assert seen["other_town_official"][OVERDUE] == 1
    assert seen["department_official"][OVERDUE] == 1  # ly_chem, industry A
    assert seen["county_officer"][OVERDUE] == 3


def test_a_rolled_back_write_keeps_the_figures(county, county_officer):
    from django.db import transaction

    from safetyportal.core.figures import current_tokens

    report(county, county_officer)
    tokens = current_tokens()
    with pytest.raises(RuntimeError), transaction.atomic():
        report(county, county_officer)
        assert current_tokens()["hazards"] != tokens["hazards"]
        raise RuntimeError("the write fails")
    assert current_tokens() == tokens


def test_a_save_of_columns_no_figure_reads_keeps_the_figures(county, county_officer):
    from safetyportal.core.figures import current_tokens

    hazard = report(county, county_officer)
    tokens = current_tokens()
    hazard.escalation_level = 1
    hazard.save(update_fields=["escalation_level", "updated_at"])
    assert current_tokens() == tokens
    hazard.deadline = days(1)
    hazard.save(update_fields=["deadline"])
    assert current_tokens()["hazards"] != tokens["hazards"]
    assert current_tokens()["enterprises"] == tokens["enterprises"]


def test_pruning_old_changes_gives_a_new_token_never_an_old_one(county, county_officer):
    from safetyportal.core import figures
    from safetyportal.core.models import FigureChange

    seen = set()
    for _ in range(5):
        figures.touch("hazards")
        seen.add(figures.current_tokens()["hazards"])
    newest = FigureChange.objects.filter(topic="hazards").latest("pk").pk
    figures._prune("hazards", newest - 1)  # what the commit of a hundredth write does
    assert figures.current_tokens()["hazards"] not in seen
    assert FigureChange.objects.filter(topic="hazards").count() == 2
