"""The stored compliance results (ComplianceStatus): every write path keeps them equal to
what the rules say live, the nightly recheck follows the calendar, and the follow-up page
is one query over them with each role's visibility unchanged."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from enterprises.demo import load_enterprise_duties_demo
from enterprises.duties import services
from enterprises.duties.compliance import Check, Status
from enterprises.duties.judging import judge_all, recheck_due
from enterprises.duties.models import ComplianceStatus, InsuranceMandate, PlanKind, TraineeRole
from enterprises.duties.selectors import compliance_of, duty_reference
from enterprises.importing.jobs import save_enterprises
from enterprises.importing.models import ImportJob
from enterprises.models import Enterprise
from enterprises.registry.services import update_enterprise
from responsibilities.signals import industry_changed
from tests.enterprises.factories_duties import (
    CertificateFactory,
    DrillFactory,
    InsuranceFactory,
    InsuranceMandateFactory,
    PlanFactory,
    SafetyCostFactory,
    StaffingFactory,
    TrainingFactory,
)
from tests.factories import EnterpriseFactory, IndustryFactory

FOLLOW_UP = reverse("enterprises:compliance")


def live(today: datetime.date, enterprises=None) -> dict:
    """{(enterprise id, check): (status, message)} as the rules say on `today`."""
    queryset = (enterprises or Enterprise.objects.all()).with_duty_records()
    reference = duty_reference()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            (e.pk, r.check): (r.status, r.message)
            for e in queryset
            for r in compliance_of(e, today=today, reference=reference)
        }


def stored() -> dict:
    return {
        (row.enterprise_id, row.duty): (row.status, row.message)
        for row in ComplianceStatus.objects.all()
    }


def status_of(enterprise, check: str) -> str:
    return ComplianceStatus.objects.get(enterprise=enterprise, duty=check).status


def varied(county, today):
    """Enterprises in every state, with deadlines spread over the coming months: the demo
    loader's profiles, and records whose dates fall on month ends and review days."""
    mandatory = IndustryFactory(code="whp", name="危险化学品（演示）", is_high_risk=True)
    InsuranceMandateFactory(industry=mandatory)
    EnterpriseFactory.create_batch(4, town=county.town, industry=mandatory)
    EnterpriseFactory.create_batch(8, town=county.town, industry=county.industry_b)
    load_enterprise_duties_demo(io.StringIO())
    edge = EnterpriseFactory(town=county.town, industry=mandatory, employee_count=400)
    StaffingFactory(enterprise=edge)
    InsuranceFactory(
        enterprise=edge,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=65),
    )
    InsuranceFactory(  # the renewal, starting when the first ends
        enterprise=edge,
        starts_on=today + datetime.timedelta(days=66),
        ends_on=today + datetime.timedelta(days=430),
    )
    CertificateFactory(
        enterprise=edge,
        issued_on=today - datetime.timedelta(days=3 * 365 - 50),
        expires_on=today + datetime.timedelta(days=900),
    )
    PlanFactory(enterprise=edge, filed_on=today - datetime.timedelta(days=3 * 365 - 70))
    PlanFactory(
        enterprise=edge,
        kind=PlanKind.ON_SITE,
        title="泄漏现场处置方案",
        filed_on=today - datetime.timedelta(days=400),
    )
    DrillFactory(enterprise=edge, held_on=datetime.date(today.year - 1, 8, 31))
    DrillFactory(
        enterprise=edge,
        plan_kind=PlanKind.COMPREHENSIVE,
        held_on=today - datetime.timedelta(days=200),
    )
    TrainingFactory(enterprise=edge, trained_on=today - datetime.timedelta(days=250))
    TrainingFactory(
        enterprise=edge,
        trainee_role=TraineeRole.SAFETY_MANAGER,
        trainee_name="王安全",
        trained_on=today - datetime.timedelta(days=340),
    )
    SafetyCostFactory(enterprise=edge, year=today.year)
    judge_all(today=today)


# --- stored == live -------------------------------------------------------------------


def test_stored_results_equal_the_live_ones_every_day_with_the_nightly_recheck(county):
    today = timezone.localdate()
    varied(county, today)
    assert ComplianceStatus.objects.count() == 8 * Enterprise.objects.count()
    statuses = set(ComplianceStatus.objects.values_list("status", flat=True))
    assert {Status.PASS, Status.MISSING, Status.EXPIRED, Status.DUE_SOON} <= statuses
    assert stored() == live(today)
    flips = 0
    for offset in range(1, 500):
        day = today + datetime.timedelta(days=offset)
        before = stored()
        recheck_due(today=day)
        after = stored()
        assert after == live(day), day
        flips += sum(1 for key in after if after[key][0] != before[key][0])
        # every row's next change is after the day it was judged on
        assert not ComplianceStatus.objects.filter(next_change_on__lte=day).exists()
    assert flips > 10  # deadlines did pass


def test_nightly_recheck_flips_a_status_when_the_date_passes_and_is_idempotent(county):
    today = timezone.localdate()
    certificate = CertificateFactory(
        enterprise=county.xdk_build, expires_on=today + datetime.timedelta(days=40)
    )
    judge_all(today=today)
    row = ComplianceStatus.objects.get(enterprise=county.xdk_build, duty=Check.CERTIFICATES)
    assert row.status == Status.PASS
    soon = certificate.expires_on - datetime.timedelta(days=settings.DUTY_DUE_SOON_DAYS)
    assert row.next_change_on == soon
    assert recheck_due(today=soon - datetime.timedelta(days=1)) == 0
    assert status_of(county.xdk_build, Check.CERTIFICATES) == Status.PASS
    assert recheck_due(today=soon) == 1
    assert status_of(county.xdk_build, Check.CERTIFICATES) == Status.DUE_SOON
    assert recheck_due(today=soon) == 0  # a second run finds nothing due
    after = certificate.expires_on + datetime.timedelta(days=1)
    assert recheck_due(today=after) == 1
    assert status_of(county.xdk_build, Check.CERTIFICATES) == Status.EXPIRED
    assert (
        ComplianceStatus.objects.get(
            enterprise=county.xdk_build, duty=Check.CERTIFICATES
        ).next_change_on
        is None
    )


def test_recheck_judges_enterprises_never_judged(county):
    assert not ComplianceStatus.objects.exists()  # the fixture's factories bypass services
    assert recheck_due() == 4
    assert ComplianceStatus.objects.count() == 32
    assert recheck_due() == 0


def test_the_task_is_thin_and_scheduled(county, monkeypatch):
    from enterprises import tasks
    from safetyportal.core.schedules import PERIODIC_TASKS

    calls = []
    monkeypatch.setattr(tasks, "recheck_due", lambda **kw: calls.append(kw) or 3)
    assert tasks.recheck_compliance() == 3
    assert calls == [{"today": timezone.localdate()}]
    assert "enterprises.tasks.recheck_compliance" in {e["task"] for e in PERIODIC_TASKS}


def test_recheck_command_rebuilds_all(county):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("recheck_compliance", all=True, stdout=out)
    assert "4 家企业" in out.getvalue()
    assert ComplianceStatus.objects.count() == 32


# --- every write path keeps them --------------------------------------------------------

DUTY_VALUES = {
    "staffing": {"has_safety_body": True, "full_time_staff": 2, "part_time_staff": 0},
    "insurance": {
        "policy_number": "P1",
        "insurer": "人保",
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": datetime.date(2099, 1, 1),
        "cover_per_person": 40,
    },
    "certificates": {
        "worker_name": "王焊工",
        "category": "welding",
        "number": "T1",
        "expires_on": datetime.date(2020, 1, 1),
    },
    "plans": {"kind": "comprehensive", "title": "综合预案", "filed_on": datetime.date(2019, 1, 1)},
    "drills": {"plan_kind": "on_site", "held_on": datetime.date(2020, 1, 1), "summary": "演练"},
    "training": {
        "trainee_role": "principal",
        "trainee_name": "张三",
        "trained_on": datetime.date(2020, 1, 1),
        "hours": 32,
        "content": "年度培训",
        "passed": True,
    },
    "costs": {
        "year": 2026,
        "base_amount": 1000,
        "rate_percent": 2,
        "extracted": 20,
        "used": 10,
    },
}


@pytest.mark.parametrize("kind", sorted(DUTY_VALUES))
def test_adding_and_voiding_each_kind_of_record_keeps_the_stored_results(
    kind, county, enterprise_manager
):
    enterprise = county.xdk_build
    judge_all()
    record = services.add_duty_record(
        actor=enterprise_manager, enterprise=enterprise, kind=kind, values=DUTY_VALUES[kind]
    )
    assert stored() == live(timezone.localdate())
    services.void_duty_record(
        actor=enterprise_manager,
        enterprise=enterprise,
        kind=kind,
        record_id=record.pk,
        reason="录入错误",
    )
    assert stored() == live(timezone.localdate())


def test_a_document_upload_keeps_the_stored_results(county, enterprise_manager):
    from tests.enterprises.factories_duties import pdf_upload

    judge_all()
    services.add_duty_record(
        actor=enterprise_manager,
        enterprise=county.xdk_build,
        kind="documents",
        values={
            "kind": "commitment",
            "title": "承诺制度",
            "issued_on": datetime.date(2026, 1, 1),
            "file": pdf_upload(),
        },
    )
    assert stored() == live(timezone.localdate())


@pytest.mark.parametrize(
    "change",
    [
        {"employee_count": 500},
        {"is_high_risk": True},
        {"name": "改名后的企业"},
    ],
)
def test_registry_changes_keep_the_stored_results(change, county, county_officer):
    judge_all()
    StaffingFactory(enterprise=county.xdk_build, full_time_staff=0, part_time_staff=1)
    judge_all()
    update_enterprise(actor=county_officer, enterprise=county.xdk_build, **change)
    assert stored() == live(timezone.localdate())
    row = ComplianceStatus.objects.get(enterprise=county.xdk_build, duty=Check.STAFFING)
    assert row.enterprise_name == Enterprise.objects.get(pk=county.xdk_build.pk).name


def test_moving_an_enterprise_moves_its_stored_results(county, county_officer):
    judge_all()
    update_enterprise(
        actor=county_officer,
        enterprise=county.xdk_build,
        town=county.other_town,
        industry=county.industry_a,
    )
    rows = ComplianceStatus.objects.filter(enterprise=county.xdk_build)
    assert set(rows.values_list("town", "industry")) == {
        (county.other_town.pk, county.industry_a.pk)
    }
    assert stored() == live(timezone.localdate())


def test_the_registry_import_judges_what_it_imports(county, county_officer):
    job = ImportJob.objects.create(original_name="x.xlsx", created_by=county_officer)
    new = [
        Enterprise(
            name=f"导入企业{i}",
            uscc=EnterpriseFactory.build().uscc,
            town=county.town,
            industry=county.industry_a,
            address="地址",
            employee_count=10,
            legal_representative="甲",
            principal_name="甲",
        )
        for i in range(3)
    ]
    save_enterprises(actor=county_officer, job=job, enterprises=new)
    assert ComplianceStatus.objects.filter(enterprise__in=new).count() == 3 * 8
    assert stored() == live(
        timezone.localdate(), Enterprise.objects.filter(pk__in=[e.pk for e in new])
    )


def test_reference_data_changes_in_the_admin_judge_the_industry_again(county, admin_user):
    judge_all()
    assert status_of(county.xdk_chem, Check.INSURANCE) == Status.PASS
    request = RequestFactory().post("/")
    request.user = admin_user
    model_admin = site._registry[InsuranceMandate]
    mandate = InsuranceMandate(industry=county.industry_a)
    model_admin.save_model(request, mandate, form=None, change=False)
    assert status_of(county.xdk_chem, Check.INSURANCE) == Status.MISSING
    assert status_of(county.xdk_build, Check.INSURANCE) == Status.PASS  # other industry
    model_admin.delete_model(request, mandate)
    assert status_of(county.xdk_chem, Check.INSURANCE) == Status.PASS
    assert stored() == live(timezone.localdate())


def test_an_industry_change_judges_its_enterprises_again(county):
    judge_all()
    StaffingFactory(enterprise=county.xdk_build, full_time_staff=0, part_time_staff=1)
    judge_all()
    assert status_of(county.xdk_build, Check.STAFFING) == Status.PASS
    county.industry_b.is_high_risk = True
    county.industry_b.save()
    industry_changed.send(sender=type(county.industry_b), industry=county.industry_b)
    assert status_of(county.xdk_build, Check.STAFFING) == Status.MISSING
    assert stored() == live(timezone.localdate())


# --- the follow-up page ---------------------------------------------------------------


def page_names(client, query: str = "") -> set[str]:
    response = client.get(FOLLOW_UP + query)
    assert response.status_code == 200
    return {row.enterprise_name for row in response.context["page"].object_list}


@pytest.mark.parametrize(
    "persona", ["county_officer", "leader", "town_official", "department_official"]
)
def test_each_role_sees_the_failing_enterprises_it_may_see(persona, request, county, client_for):
    user = request.getfixturevalue(persona)
    InsuranceMandateFactory(industry=county.industry_a)
    InsuranceMandateFactory(industry=county.industry_b)
    InsuranceFactory(enterprise=county.ly_build, ends_on=datetime.date(2099, 1, 1))
    judge_all()
    expected = set(
        Enterprise.objects.visible_to(user)
        .exclude(pk=county.ly_build.pk)
        .values_list("name", flat=True)
    )
    assert expected  # every role sees someone failing
    assert page_names(client_for(user), "?check=insurance") == expected
    # the registry's filters still apply
    town = f"?check=insurance&town={county.other_town.pk}"
    assert page_names(client_for(user), town) == {
        name
        for name in expected
        if Enterprise.objects.get(name=name).town_id == county.other_town.pk
    }
    assert page_names(client_for(user), "?check=insurance&q=化工") == {
        name for name in expected if "化工" in name
    }


def test_the_page_filters_by_result_and_shows_the_stored_message(
    county, county_officer, client_for
):
    today = timezone.localdate()
    CertificateFactory(enterprise=county.xdk_build, expires_on=today - datetime.timedelta(days=1))
    CertificateFactory(enterprise=county.ly_build, expires_on=today + datetime.timedelta(days=3))
    judge_all()
    client = client_for(county_officer)
    assert page_names(client, "?check=certificates") == {
        county.xdk_build.name,
        county.ly_build.name,
    }
    assert page_names(client, "?check=certificates&result=expired") == {county.xdk_build.name}
    html = client.get(FOLLOW_UP + "?check=certificates&result=due_soon").content.decode()
    assert "特种作业操作证即将到期" in html and "即将到期</span>" in html


def test_the_page_costs_the_same_queries_for_10_or_many_enterprises(
    county, county_officer, town_official, department_official, client_for,
    django_assert_max_num_queries,
):  # fmt: skip
    clients = [client_for(u) for u in (county_officer, town_official, department_official)]

    def add(count):
        for enterprise in EnterpriseFactory.create_batch(
            count, town=county.town, industry=county.industry_a
        ):
            CertificateFactory(enterprise=enterprise, expires_on=datetime.date(2020, 1, 1))
        judge_all()

    add(6)  # 10 enterprises
    counts = []
    for client in clients:
        with django_assert_max_num_queries(12) as captured:
            response = client.get(FOLLOW_UP + "?check=certificates")
        counts.append(len(captured))
        assert len(response.context["page"].object_list) == 6
    add(60)
    for client, count in zip(clients, counts, strict=True):
        with django_assert_max_num_queries(count) as captured:
            response = client.get(FOLLOW_UP + "?check=certificates")
        assert len(response.context["page"].object_list) == settings.PAGE_SIZE
        assert response.context["page"].paginator.count == 66


def test_the_import_judges_new_enterprises_as_the_rules_do_for_every_registry_profile(
    county, county_officer
):
    """The import judges its new enterprises from their registry fields (no records yet),
    once per (industry, employee count, high-risk flag), and COPYs the results: the stored
    rows equal the live rules' for every profile, and awkward names arrive intact."""
    mandatory = IndustryFactory(code="whp", name="危险化学品（演示）", is_high_risk=True)
    InsuranceMandateFactory(industry=mandatory)
    threshold = settings.STAFFING_EMPLOYEE_THRESHOLD
    job = ImportJob.objects.create(original_name="x.xlsx", created_by=county_officer)
    profiles = [
        (industry, count, high_risk)
        for industry in (county.industry_a, county.industry_b, mandatory)
        for count in (0, threshold, threshold + 1, 400)
        for high_risk in (False, True)
    ]
    new = [
        Enterprise(
            name=f"导入企业{i}\t制表\\反斜杠" if i % 5 == 0 else f"导入企业{i}",
            uscc=EnterpriseFactory.build().uscc,
            town=county.town,
            industry=industry,
            address="地址",
            employee_count=count,
            is_high_risk=high_risk,
            legal_representative="甲",
            principal_name="甲",
        )
        for i, (industry, count, high_risk) in enumerate(profiles * 2)
    ]
    save_enterprises(actor=county_officer, job=job, enterprises=new)
    ids = [e.pk for e in new]
    assert ComplianceStatus.objects.filter(enterprise__in=ids).count() == len(new) * 8
    assert stored() == live(timezone.localdate(), Enterprise.objects.filter(pk__in=ids))
    names = dict(
        ComplianceStatus.objects.filter(duty=Check.STAFFING).values_list(
            "enterprise_id", "enterprise_name"
        )
    )
    assert names == {e.pk: e.name for e in new}
    # the nightly recheck finds nothing of theirs to change
    before = {key: value for key, value in stored().items() if key[0] in ids}
    recheck_due(today=timezone.localdate())
    assert {key: value for key, value in stored().items() if key[0] in ids} == before
