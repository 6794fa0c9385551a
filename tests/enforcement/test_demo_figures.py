"""The demo reproduces the report's figures from ledger rows (issue 10, mission.md §8), and
the county's home card 执法概况 shows them, each opening the list it counts.

`load_demo` is slow (a registry of 5,000 enterprises and everything on it), so this module
loads it ONCE, in a transaction rolled back after the module, and every test that needs the
loaded demo lives here: the report's enforcement figures, the hazard ledger's figures and
histories (moved from tests/hazards/test_demo_data.py), the registry and the accounts, and
a second run that adds nothing (moved from tests/test_commands.py). Each test runs in a
savepoint inside that transaction (the `db` fixture), so what one test writes the next
does not see.
"""

from __future__ import annotations

import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.test import Client, override_settings
from django.utils import timezone

from enforcement.accidents.statistics import year_on_year
from enforcement.authority.models import DelegatedItem, Procedure, TownAuthorisation
from enforcement.cards import overview_figures
from enforcement.cases.models import Case, CaseDocument, CaseStatus
from enforcement.exposure.models import ExposedCase
from enforcement.inspections.models import Inspection, InspectionStatus
from enforcement.rules import certified_officer_ids
from enterprises.models import Enterprise, EnterpriseUserObjectPermission
from enterprises.registry.uscc import validate_uscc
from hazards.demo import load_hazard_demo
from hazards.models import Hazard, HazardClass, HazardStatus
from responsibilities.models import Organisation, SafetyReminder
from safetyportal.accounts.models import User
from safetyportal.audit.models import AuditEvent
from safetyportal.dashboard.management.commands.load_demo import (
    DEMO_ENTERPRISE_NAME,
    DEMO_PASSWORD,
    DEMO_USERS,
)

FIGURE = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-figure="(\d+)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`load_demo` once for the module; its output. Rolled back after the module."""
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=False, DEMO_MODE=True),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0, stdout=out)
        # the deferred foreign-key checks of the demo's rows, now: each test's teardown
        # checks them in its savepoint, and would otherwise check them all again
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


def this_year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def ledger_figures() -> dict[str, int]:
    """The report's enforcement figures counted from the rows, independently of the card."""
    year_start, today = this_year()
    made = Inspection.objects.filter(
        status=InspectionStatus.SUBMITTED, inspected_on__gte=year_start, inspected_on__lte=today
    )
    visits = Inspection.officers.through.objects.filter(inspection__in=made)
    cases = Case.objects.filter(filed_on__gte=year_start)
    return {
        "enterprises": made.values("enterprise_id").distinct().count(),
        "inspections": made.count(),
        "visits": visits.count(),
        "officers": len(set(certified_officer_ids(None, today))),
        "items": DelegatedItem.objects.filter(is_active=True).count(),
        "cases": cases.count(),
        "simple": cases.filter(procedure=Procedure.SIMPLE).count(),
        "general": cases.filter(procedure=Procedure.GENERAL).count(),
        "exposed": ExposedCase.objects.public().filter(decided_on__gte=year_start).count(),
    }


# --- the report's enforcement figures ---------------------------------------------------------


def test_the_demo_reproduces_the_reports_enforcement_figures(demo, db):
    figures = ledger_figures()
    assert figures["enterprises"] > 5000  # 检查企业 5,000 余家
    assert figures["visits"] > 10000  # 检查 10,000 余人次
    assert figures["officers"] == 22  # 持证执法人员 22 名
    assert figures["items"] == 119  # 委托下放执法事项 119 项
    assert figures["exposed"] == 88  # 曝光典型案件 88 起
    # 19 镇街: 2 with the general procedure, 17 with the simple one, all in force today
    today = timezone.localdate()
    towns = Organisation.objects.towns()
    assert towns.count() == 19
    in_force = TownAuthorisation.objects.filter(valid_from__lte=today, valid_until__gte=today)
    assert in_force.values("town").distinct().count() == 19
    assert in_force.filter(procedure_level=Procedure.GENERAL).count() == 2
    assert in_force.filter(procedure_level=Procedure.SIMPLE).count() == 17
    assert all(a.items.count() == 119 for a in in_force)
    # 事故 7 起 8 人, against 24 and 24 last year to the same date
    _rows, total = year_on_year()
    assert total.summary == "7 起 8 人 vs 24 起 24 人"
    assert (total.accidents.text, total.deaths.text) == ("下降 70.8 %", "下降 66.7 %")
    # the figures are in the loader's own account too
    assert f"覆盖企业 {figures['enterprises']} 家，检查人次 {figures['visits']}" in demo
    assert "本年度曝光典型案件 88 起" in demo


def test_only_the_certified_officers_of_the_inspecting_units_inspect(demo, db):
    year_start, today = this_year()
    certified = set(certified_officer_ids(None, year_start)) & set(
        certified_officer_ids(None, today)
    )
    assert len(certified) == 22
    Officers = Inspection.officers.through
    Joint = Inspection.joint_units.through
    named = set(Officers.objects.values_list("user_id", flat=True).distinct())
    assert named <= certified
    # every officer belongs to the inspecting unit or a joint one
    links = Officers.objects.values_list(
        "inspection_id", "inspection__unit_id", "user__organisation_id"
    )
    joint: dict[int, set[int]] = {}
    for inspection_id, unit_id in Joint.objects.values_list("inspection_id", "organisation_id"):
        joint.setdefault(inspection_id, set()).add(unit_id)
    assert all(org == unit or org in joint.get(i, ()) for i, unit, org in links)
    # an inspection is of an enterprise of its town, and none is dated after today
    assert not Inspection.objects.filter(inspected_on__gt=today).exists()
    mismatched = Inspection.objects.exclude(
        Exists(Enterprise.objects.filter(pk=OuterRef("enterprise_id"), town=OuterRef("town")))
    )
    assert not mismatched.exists()


def test_the_cases_are_lawful_and_enough_to_expose_88(demo, db):
    year_start, _today = this_year()
    closed = Case.objects.filter(status=CaseStatus.CLOSED, decided_on__gte=year_start).exclude(
        decision_number=""
    )
    assert closed.count() >= 88
    exposed = ExposedCase.objects.public().filter(decided_on__gte=year_start)
    assert set(exposed.values_list("case_id", flat=True)) <= set(
        closed.values_list("pk", flat=True)
    )
    # every case's officers held a certificate on its day
    for case in Case.objects.prefetch_related("officers"):
        day = case.decided_on or case.filed_on
        ids = {o.pk for o in case.officers.all()}
        assert ids and set(certified_officer_ids(ids, day)) == ids, case.pk
    # each unit's documents of a kind are numbered 1, 2, 3 ... in the order of their dates
    documents = CaseDocument.objects.order_by("unit_id", "kind", "year", "number")
    runs: dict[tuple, list] = {}
    for unit, kind, year, number, issued in documents.values_list(
        "unit_id", "kind", "year", "number", "issued_on"
    ):
        runs.setdefault((unit, kind, year), []).append((number, issued))
    for run in runs.values():
        assert [n for n, _d in run] == list(range(1, len(run) + 1))
        assert [d for _n, d in run] == sorted(d for _n, d in run)


# --- the home card ---------------------------------------------------------------------------


def card_links(client: Client) -> list[tuple[str, int]]:
    page = client.get("/").content.decode()
    start = page.index('data-testid="enforcement-overview"')
    card = page[start : page.index("</section>", start)]
    return [(unescape(href), int(n)) for href, n in FIGURE.findall(card)]


def list_total(client: Client, href: str) -> int:
    """The number of rows the list at `href` holds: its filter's rows counted (a ledger
    page above 10,000 rows shows an estimate, ADR 0015), else its paginator's count."""
    response = client.get(href)
    assert response.status_code == 200, href
    if "filter" in response.context:
        return response.context["filter"].qs.count()
    return response.context["page"].paginator.count


@pytest.mark.parametrize("username", ["county", "leader"])
def test_the_overview_card_shows_the_ledger_figures_and_opens_their_lists(demo, db, username):
    year_start, today = this_year()
    figures = ledger_figures()
    assert overview_figures(year_start, today) == figures
    client = Client()
    client.force_login(User.objects.get(username=username))
    links = card_links(client)
    assert len(links) == 7, links
    assert sorted(n for _href, n in links) == sorted(
        figures[k]
        for k in ("inspections", "cases", "simple", "general", "exposed", "officers", "items")
    )
    for href, figure in links:
        assert list_total(client, href) == figure, href
    page = client.get("/").content.decode()
    for key in ("enterprises", "visits"):
        shown = re.search(rf'data-testid="overview-{key}">([\d,]+)<', page)
        assert shown and int(shown.group(1).replace(",", "")) == figures[key], key
    # the accidents card next to it: this year's against last year's to the same date
    assert "7 起 8 人 vs 24 起 24 人" in page
    assert "下降 70.8 %" in page and "下降 66.7 %" in page


def test_the_overview_card_is_for_the_county_office_and_leaders_only(demo, db):
    for username in ("dept_yjj", "town_xdk", "enterprise", "expert"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert 'data-testid="enforcement-overview"' not in client.get("/").content.decode()


# --- the hazard ledger (moved from tests/hazards/test_demo_data.py) ---------------------------


def test_demo_hazard_figures_and_idempotence(demo, db):
    majors = Hazard.objects.major().exclude(status=HazardStatus.VOIDED)
    assert majors.count() == 195
    assert majors.filter(status=HazardStatus.CLOSED).count() == 171
    general_closed = Hazard.objects.filter(
        hazard_class=HazardClass.GENERAL, status=HazardStatus.CLOSED
    ).count()
    assert 5400 <= general_closed <= 5600
    assert set(Hazard.objects.values_list("status", flat=True)) == set(HazardStatus.values)
    total = Hazard.objects.count()
    out = io.StringIO()
    load_hazard_demo(out)
    assert Hazard.objects.count() == total
    assert "跳过" in out.getvalue()
    # the demo county office can verify a major hazard waiting for verification in
    # another town (nobody in the demo is barred as its rectifier)
    from hazards.permissions import refusal

    county_user = User.objects.get(username="county")
    waiting = majors.filter(status=HazardStatus.SUBMITTED).exclude(submitted_by=county_user)
    assert waiting.exists()
    assert all(refusal(county_user, h, "verify_pass") is None for h in waiting)


def test_every_demo_hazard_history_keeps_the_workflow_rules(demo, db):
    """Issue 8 item 11: major hazards closed before their 交办 slip, progress entries dated
    after closure, closed major hazards without evidence. Every demo hazard's stored
    history is checked with the rules of hazards/history.py."""
    from hazards.history import history_problems, with_history
    from hazards.models import AttachmentKind

    broken = {
        h.code: problems
        for h in with_history(Hazard.objects.all())
        if (problems := history_problems(h))
    }
    assert broken == {}
    closed_majors = Hazard.objects.major().filter(status=HazardStatus.CLOSED)
    assert closed_majors.count() == 171
    assert not closed_majors.filter(progress_entries__isnull=True).exists()
    assert closed_majors.filter(attachments__kind=AttachmentKind.EVIDENCE).distinct().count() == 171


# --- the registry and the accounts (moved from tests/test_commands.py) ------------------------


def test_the_demo_registry_and_accounts(demo, db):
    enterprises = Enterprise.objects.select_related("town", "industry")
    assert enterprises.count() > 5000  # the county's registry: about 5,000
    for enterprise in enterprises:
        validate_uscc(enterprise.uscc)
        assert enterprise.uscc.startswith("91430723")
        assert 3 <= enterprise.employee_count <= 600
        assert enterprise.is_high_risk == enterprise.industry.is_high_risk
        assert enterprise.town.is_town_level
    assert len({e.name for e in enterprises}) == enterprises.count()
    # spread over all 19 towns, more in the 街道 than in a rural town
    per_town = {t.code: t.enterprises.count() for t in Organisation.objects.towns()}
    assert all(count > 0 for count in per_town.values())
    assert per_town["430723002"] > per_town["430723117"]
    assert enterprises.filter(town__code="430723105", industry__code="jcts").exists()
    assert enterprises.filter(employee_count__range=(95, 105)).exists()
    # one audit event per registration; every enterprise judged (stored compliance)
    assert AuditEvent.objects.filter(verb="enterprise.registered").count() == enterprises.count()
    assert not Enterprise.objects.filter(compliance_statuses__isnull=True).exists()

    for username, role, org_code, _display in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
        assert (user.organisation.code if user.organisation else None) == org_code
        assert user.groups.filter(name=f"role:{role}").exists()
        assert username in demo
    assert User.objects.get(username="enterprise").enterprise.name == DEMO_ENTERPRISE_NAME
    assert User.objects.get(username="enterprise").enterprise.town.code == "430723102"
    expert = User.objects.get(username="expert")
    assert Enterprise.objects.visible_to(expert).count() == 5
    assert DEMO_PASSWORD in demo
    assert SafetyReminder.objects.count() == 1


def test_a_second_run_adds_nothing(demo, db):
    def counts() -> dict[str, int]:
        models = (
            Enterprise,
            User,
            AuditEvent,
            EnterpriseUserObjectPermission,
            SafetyReminder,
            Hazard,
            Inspection,
            Case,
            ExposedCase,
            TownAuthorisation,
            DelegatedItem,
        )
        return {m.__name__: m.objects.count() for m in models}

    first = counts()
    with override_settings(DEBUG=False, DEMO_MODE=True):
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert counts() == first


# --- the year-end appraisal (safetyportal/dashboard/demo_appraisal.py) -------------------------


def test_the_demo_has_a_published_appraisal_round_computed_from_the_ledgers(demo, db):
    from responsibilities.appraisal_models import (
        AppraisalResult,
        AppraisalRound,
        IndicatorKind,
        IndicatorScore,
        ResultStatus,
        RoundStatus,
    )
    from responsibilities.appraisal_rules import Period, get_rule

    year = timezone.localdate().year
    round_ = AppraisalRound.objects.get(year=year)
    assert round_.status == RoundStatus.PUBLISHED
    results = AppraisalResult.objects.filter(round=round_)
    # 19 镇街, 22 departments, 10 committees, all approved by the leader and published
    assert results.count() == 51
    assert set(results.values_list("status", flat=True)) == {ResultStatus.PUBLISHED}
    assert results.filter(approved_by__username="leader").count() == 51
    # the demo's accidents are all 一般: nobody is vetoed
    assert not results.filter(vetoed=True).exists()
    # 100 points for every unit; every total within them, grades from the scheme's lines
    scheme = round_.scheme
    for kind_flag in ("for_towns", "for_departments", "for_committees"):
        points = sum(i.points for i in scheme.indicators.filter(**{kind_flag: True}))
        assert points == 100
    totals = list(results.values_list("total", flat=True))
    assert all(0 < t <= 100 for t in totals)
    assert len(set(totals)) > 10  # the units differ
    for result in results:
        assert result.grade == scheme.grade_for(result.total, result.vetoed)
    # every rule the ledgers provide is in the scheme
    rules = set(scheme.indicators.exclude(rule="").values_list("rule", flat=True))
    assert rules == {
        "responsibilities.duty_items_completed",
        "responsibilities.committee_meetings_held",
        "hazards.major_closed_on_time",
        "hazards.general_rectification_rate",
        "enforcement.inspections_against_plan",
        "enforcement.serious_accident_veto",
        "enterprises.self_assessment_coverage",
        "enforcement.reports_handled_on_time",
    }
    # a town's stored scores are the rules' figures on the demo's ledgers
    town = results.get(unit__code="430723102")
    period = Period(year, round_.snapshot_date)
    for score in IndicatorScore.objects.filter(result=town, indicator__kind="computed"):
        measure = get_rule(score.indicator.rule).measure(town.unit, period, score.indicator.params)
        assert (score.counted, score.base) == (measure.counted, measure.base)
        assert score.evidence.count() == min(len(measure.failures), 2000)
    assert IndicatorScore.objects.get(result=town, indicator__code="A2").base > 0
    assert IndicatorScore.objects.get(result=town, indicator__code="A3").base > 100
    # comments, reviewers' adjustments with reasons, every manual indicator scored
    assert results.exclude(self_report="").count() == 3
    adjusted = IndicatorScore.objects.filter(
        result__round=round_, indicator__kind=IndicatorKind.COMPUTED, adjusted_points__isnull=False
    )
    assert adjusted.count() == 3 and not adjusted.filter(adjustment_reason="").exists()
    assert not IndicatorScore.objects.filter(
        result__round=round_, indicator__kind=IndicatorKind.MANUAL, adjusted_points__isnull=True
    ).exists()
    assert f"{year}年度 51 个单位" in demo
