"""Management commands: reference data, portal users, demo data and scale data."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from enterprises.models import Enterprise
from enterprises.registry.uscc import validate_uscc
from responsibilities.models import (
    CommitteeMembership,
    Industry,
    Organisation,
    OrganisationKind,
    ReminderTopic,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.accounts.models import Role, User
from safetyportal.audit.models import AuditEvent
from safetyportal.dashboard.management.commands.load_demo import (
    make_uscc,
)

TOWN_CODES = {
    "430723001": "澧西街道",
    "430723002": "澧阳街道",
    "430723003": "澧浦街道",
    "430723004": "澧澹街道",
    "430723102": "小渡口镇",
    "430723103": "梦溪镇",
    "430723104": "复兴镇",
    "430723105": "盐井镇",
    "430723107": "大堰垱镇",
    "430723108": "王家厂镇",
    "430723109": "金罗镇",
    "430723110": "码头铺镇",
    "430723112": "甘溪滩镇",
    "430723113": "火连坡镇",
    "430723114": "澧南镇",
    "430723115": "如东镇",
    "430723116": "涔南镇",
    "430723117": "官垸镇",
    "430723118": "城头山镇",
}
GOOD_PASSWORD = "Lixian-Safe-2026!"

pytestmark = pytest.mark.django_db


def run(name: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def reference_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "memberships": CommitteeMembership.objects.count(),
        "industries": Industry.objects.count(),
        "maps": SupervisionMap.objects.count(),
        "assignments": SupervisionAssignment.objects.count(),
        "topics": ReminderTopic.objects.count(),
    }


@pytest.fixture
def reference(db):
    run("load_reference_data")


# --- load_reference_data -------------------------------------------------------------


def test_load_reference_data_loads_the_19_towns_with_their_codes():
    run("load_reference_data")

    towns = Organisation.objects.towns()
    assert {t.code: t.name for t in towns} == TOWN_CODES
    assert towns.filter(kind=OrganisationKind.SUBDISTRICT).count() == 4
    assert set(towns.values_list("parent__code", flat=True)) == {"430723"}
    assert set(
        Organisation.objects.filter(general_procedure_authorised=True).values_list(
            "code", flat=True
        )
    ) == {"430723102", "430723118"}
    # the town list is ordered by code
    assert list(towns.order_by("sort_order").values_list("code", flat=True)) == sorted(TOWN_CODES)


def test_load_reference_data_adds_the_duty_reference_rows_that_name_industries():
    """On a fresh install the enterprises app's data migrations ran before any industry
    existed; loading the reference data adds the 安责险 mandates (加油站 and 城镇燃气 among
    them) and the 安全生产费用 obligations."""
    from enterprises.duties.models import InsuranceMandate, SafetyCostObligation

    assert not InsuranceMandate.objects.exists()
    run("load_reference_data")

    mandated = set(InsuranceMandate.objects.values_list("industry__name", flat=True))
    assert {"危险化学品", "烟花爆竹"} <= mandated
    assert any("加油" in name for name in mandated)
    assert SafetyCostObligation.objects.exists()
    run("load_reference_data")  # a second run adds nothing
    assert set(InsuranceMandate.objects.values_list("industry__name", flat=True)) == mandated


def test_load_reference_data_builds_the_county_tree():
    run("load_reference_data")

    office = Organisation.objects.get(code="aqwb")
    assert office.kind == OrganisationKind.OFFICE
    assert office.parent.code == "aqw"
    assert office.parent.parent.code == "430723"
    assert Organisation.objects.get(code="dept-yjj").name == "澧县应急管理局"
    assert Organisation.objects.departments().count() == 22
    committees = Organisation.objects.committees()
    assert committees.count() >= 8
    for committee in committees:
        assert committee.parent.code == "aqw"
        members = committee.memberships.all()
        assert members.filter(is_lead=True).count() == 1, committee
        assert 2 <= members.filter(is_lead=False).count() <= 5, committee
        assert all(m.member.kind == OrganisationKind.DEPARTMENT for m in members)


def test_load_reference_data_loads_23_emerging_industries_and_the_2026_map():
    run("load_reference_data")

    assert Industry.objects.filter(is_emerging=True).count() == 23
    high_risk = set(Industry.objects.filter(is_high_risk=True).values_list("code", flat=True))
    assert {"fmks", "whp", "yhbz", "jzsg", "dlys", "czrq", "jyz", "yjgm"} <= high_risk
    assert not Industry.objects.filter(is_emerging=True, is_high_risk=True).exists()

    supervision_map = SupervisionMap.objects.get(year=2026)
    assert supervision_map.title == "关于明确澧县新兴行业领域安全生产监督管理责任的通知"
    assert supervision_map.published_at.isoformat().startswith("2026-01-14T16:00")
    assignments = supervision_map.assignments.all()
    assert all(a.department.kind == OrganisationKind.DEPARTMENT for a in assignments)
    uncovered = Industry.objects.exclude(assignments__supervision_map=supervision_map)
    # two emerging industries are deliberately left without a department (监管空白)
    assert uncovered.count() == 2
    assert all(industry.is_emerging for industry in uncovered)
    for industry in Industry.objects.exclude(pk__in=uncovered):
        assert assignments.filter(industry=industry, is_lead=True).count() == 1, industry
    assert assignments.get(industry__code="fmks", is_lead=True).department.code == "dept-yjj"
    assert ReminderTopic.objects.count() >= 10


def test_load_reference_data_is_idempotent():
    run("load_reference_data")
    first = reference_counts()
    run("load_reference_data")
    assert reference_counts() == first


@pytest.mark.parametrize(("pk", "year"), [(1, 2025), (5, 2026)], ids=["pk-taken", "year-taken"])
def test_load_reference_data_never_overwrites_another_supervision_map(pk, year):
    SupervisionMap.objects.create(pk=pk, year=year, title="县里在后台录入的划分")
    with pytest.raises(CommandError, match="nothing loaded"):
        run("load_reference_data")
    assert SupervisionMap.objects.get().title == "县里在后台录入的划分"
    assert not Organisation.objects.exists()


# --- create_portal_user --------------------------------------------------------------


def create_user(username: str, *, password: str = GOOD_PASSWORD, **options) -> str:
    return run(
        "create_portal_user",
        username,
        password_stdin=True,
        stdin=io.StringIO(password + "\n"),
        **options,
    )


def test_create_portal_user_with_password_from_stdin(reference):
    output = create_user(
        "xdk_chen",
        role="town",
        organisation="430723102",
        display_name="陈站长",
        email="chen@example.com",
    )

    user = User.objects.get(username="xdk_chen")
    assert "xdk_chen" in output
    assert user.role == Role.TOWN
    assert user.organisation.code == "430723102"
    assert user.display_name == "陈站长"
    assert user.email == "chen@example.com"
    assert user.check_password(GOOD_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["role:town"]
    event = AuditEvent.objects.for_object(user).get()
    assert event.verb == "user.created"
    assert event.actor is None
    assert event.payload["role"] == "town"


def test_create_portal_user_for_an_enterprise_by_uscc(reference):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(town=Organisation.objects.get(code="430723105"))
    create_user("ent_mgr", role="enterprise", enterprise=enterprise.uscc.lower())

    user = User.objects.get(username="ent_mgr")
    assert user.enterprise == enterprise
    assert user.organisation is None
    assert Group.objects.get(name="role:enterprise").user_set.filter(pk=user.pk).exists()


def test_create_portal_user_prompts_twice_without_stdin(reference, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("create_portal_user", "boss", role="leader")
    assert User.objects.get(username="boss").check_password(GOOD_PASSWORD)


def test_create_portal_user_rejects_different_passwords(reference, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="不一致"):
        run("create_portal_user", "boss", role="leader")
    assert not User.objects.filter(username="boss").exists()


@pytest.mark.parametrize(
    ("options", "password", "message"),
    [
        ({"role": "chief"}, GOOD_PASSWORD, "unknown role"),
        ({"role": "town", "organisation": "430723999"}, GOOD_PASSWORD, "unknown organisation"),
        ({"role": "enterprise", "enterprise": make_uscc("91430723", "MA4XXXXX")}, GOOD_PASSWORD, "no enterprise"),
        ({"role": "town", "organisation": "dept-yjj"}, GOOD_PASSWORD, "invalid placement"),
        ({"role": "town"}, GOOD_PASSWORD, "invalid placement"),
        ({"role": "county_office", "organisation": "430723102"}, GOOD_PASSWORD, "invalid placement"),
        ({"role": "enterprise"}, GOOD_PASSWORD, "invalid placement"),
        ({"role": "leader"}, "", "empty"),
        ({"role": "leader"}, "123", "weak password"),
    ],
    ids=[
        "unknown-role",
        "unknown-org",
        "unknown-uscc",
        "town-in-department",
        "town-without-org",
        "county-office-in-town",
        "enterprise-without-enterprise",
        "empty-password",
        "weak-password",
    ],
)  # fmt: skip
def test_create_portal_user_errors_leave_no_user(reference, options, password, message):
    with pytest.raises(CommandError, match=message):
        create_user("newbie", password=password, **options)
    assert not User.objects.filter(username="newbie").exists()
    assert not AuditEvent.objects.filter(verb="user.created").exists()


def test_create_portal_user_rejects_a_duplicate_username(reference):
    create_user("twice", role="leader")
    with pytest.raises(CommandError, match="already exists"):
        create_user("twice", role="expert")
    with pytest.raises(CommandError, match="already exists"):
        create_user("TWICE", role="expert")
    assert User.objects.filter(username__iexact="twice").count() == 1
    assert User.objects.get(username="twice").role == Role.LEADER
    assert AuditEvent.objects.filter(verb="user.created").count() == 1


# --- load_demo -----------------------------------------------------------------------


def test_load_demo_refuses_without_debug_or_demo_mode(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        run("load_demo")
    assert not Enterprise.objects.exists()
    assert not User.objects.exists()


# the demo's registry, accounts and a second run: tests/enforcement/test_demo_figures.py
# (the demo is loaded once for all its tests)


# --- load_scale_data -----------------------------------------------------------------


def test_load_scale_data_creates_n_enterprises(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    run("load_scale_data", enterprises=120)

    enterprises = Enterprise.objects.all()
    assert enterprises.count() == 120
    assert len({e.uscc for e in enterprises}) == 120
    for enterprise in enterprises:
        validate_uscc(enterprise.uscc)
        assert enterprise.uscc.startswith("92430723")
    assert enterprises.values("town").distinct().count() > 10

    # the same N again adds nothing; a larger N adds the difference
    run("load_scale_data", enterprises=120)
    assert Enterprise.objects.count() == 120
    run("load_scale_data", enterprises=150)
    assert Enterprise.objects.count() == 150


def test_load_scale_data_refuses_in_production_unless_forced(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="--force"):
        run("load_scale_data", enterprises=5)
    assert not Enterprise.objects.exists()

    run("load_scale_data", enterprises=5, force=True)
    assert Enterprise.objects.count() == 5
