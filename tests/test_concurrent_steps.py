"""The same workflow step, taken twice at the same moment on the same record by two
parallel PostgreSQL connections, never succeeds twice, never answers with an unexpected
error and never deadlocks (docs/decisions/0046).

Every `Workflow` of every app is found by importing the apps' `*workflow` modules. Each
step needs an entry in `RACES` (step -> a builder that makes a record in the right state
and says who takes the step with what input): `test_every_workflow_step_has_a_race` fails
with the name of a new step that has none. A builder is a few lines; see the ones below.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from safetyportal.workflow.errors import StepNotAllowed
from safetyportal.workflow.steps import Workflow
from tests.factories import CountyOfficerFactory, evidence_photo

DOMAIN_APPS = ("responsibilities", "enterprises", "hazards", "enforcement")


def all_workflows() -> dict[str, Workflow]:
    found: dict[str, Workflow] = {}
    for label in DOMAIN_APPS:
        config = apps.get_app_config(label)
        for info in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
            if not info.name.rsplit(".", 1)[-1].endswith("workflow"):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, Workflow):
                    found[value.name] = value
    return found


def all_steps() -> list[str]:
    return sorted(f"{wf.name}:{step.name}" for wf in all_workflows().values() for step in wf)


@dataclass
class Race:
    """Two calls of one step's service on one record, at once. `once`: exactly one may
    succeed (the step moves the record on, or a guard refuses a second one); otherwise
    both may succeed (a repeatable step such as a progress entry)."""

    pk: int
    first: tuple  # (actor, kwargs)
    second: tuple
    once: bool = True


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- builders: hazards ---------------------------------------------------------------------


def _hazard(ctx, **overrides):
    from hazards import services
    from hazards.models import HazardSource

    values = {
        "actor": ctx.town_official,
        "enterprise": ctx.county.xdk_build,
        "source": HazardSource.INSPECTION,
        "description": "脚手架连墙件缺失",
        "location": "3号楼",
        "deadline": days(20),
        "responsible_person": "周经理",
        **overrides,
    }
    return services.report_hazard(**values)


def _determination(n):
    return {
        "list_number": f"LX-2026-{n:03d}",
        "determination_basis": "县安委会专题会议纪要",
        "determined_on": timezone.localdate(),
        "is_supervised": True,
    }


def _assignment(ctx, n):
    return {
        "slip_number": f"LX-JB-2026-{n:03d}",
        "responsible_unit": ctx.county.xdk_build.name,
        "supervising_unit": ctx.county.other_department,
        "deadline": days(60),
        "responsible_person": "周经理",
        "measures": "加设连墙件",
        "funds_amount": Decimal("12.50"),
        "funds_source": "企业自筹",
        "contingency_measures": "设置警戒区",
    }


def _major(ctx):
    from hazards import services

    hazard = _hazard(ctx)
    services.determine_major_hazard(
        actor=ctx.county_officer, hazard_id=hazard.pk, **_determination(1)
    )
    services.assign_major_hazard(
        actor=ctx.county_officer, hazard_id=hazard.pk, **_assignment(ctx, 1)
    )
    return hazard


def _rectifying(ctx):
    from hazards import services

    hazard = _hazard(ctx)
    services.start_rectification(actor=ctx.enterprise_manager, hazard_id=hazard.pk)
    return hazard


def _submitted(ctx):
    from hazards import services

    hazard = _rectifying(ctx)
    services.submit_rectification(
        actor=ctx.enterprise_manager, hazard_id=hazard.pk, note="已整改", files=[evidence_photo()]
    )
    return hazard


def _twice(pk, actor, kwargs, other=None, other_kwargs=None, once=True):
    return Race(pk, (actor, kwargs), (other or actor, other_kwargs or kwargs), once)


def hazard_start(ctx):
    return _twice(_hazard(ctx).pk, ctx.enterprise_manager, {})


def hazard_determine(ctx):
    return _twice(
        _hazard(ctx).pk, ctx.county_officer, _determination(1), ctx.officer_b, _determination(2)
    )


def hazard_assign(ctx):
    from hazards import services

    hazard = _hazard(ctx)
    services.determine_major_hazard(
        actor=ctx.county_officer, hazard_id=hazard.pk, **_determination(1)
    )
    return _twice(
        hazard.pk, ctx.county_officer, _assignment(ctx, 1), ctx.officer_b, _assignment(ctx, 2)
    )


def hazard_progress(ctx):
    entry = {"entry_date": days(0), "percent": 50, "note": "进行中"}
    return _twice(_major(ctx).pk, ctx.enterprise_manager, entry, once=False)


def hazard_submit(ctx):
    return _twice(
        _rectifying(ctx).pk,
        ctx.enterprise_manager,
        {"note": "已整改", "files": [evidence_photo()]},
        ctx.enterprise_manager,
        {"note": "已整改完毕", "files": [evidence_photo()]},
    )


def hazard_verify(ctx):
    return _twice(
        _submitted(ctx).pk,
        ctx.town_official,
        {"passed": True, "opinion": "现场核查"},
        ctx.officer_b,
        {"passed": False, "opinion": "未整改到位"},
    )


def hazard_request_extension(ctx):
    ask = {"requested_deadline": days(40), "reason": "材料未到"}
    return _twice(_rectifying(ctx).pk, ctx.enterprise_manager, ask, ctx.town_official, ask)


def hazard_decide_extension(ctx):
    from hazards import services

    hazard = _rectifying(ctx)
    services.request_extension(
        actor=ctx.enterprise_manager,
        hazard_id=hazard.pk,
        requested_deadline=days(40),
        reason="材料未到",
    )
    return _twice(
        hazard.pk,
        ctx.county_officer,
        {"approve": True, "note": ""},
        ctx.officer_b,
        {"approve": False, "note": "理由不充分"},
    )


def hazard_explain(ctx):
    from hazards import services

    hazard = _submitted(ctx)
    services.verify_rectification(
        actor=ctx.town_official, hazard_id=hazard.pk, passed=False, opinion="未整改到位"
    )
    text = {"text": "原因：材料未到；措施：加快采购；完成时间：下周"}
    # repeatable: the occasion stays until the hazard moves on, so both explanations are kept
    return _twice(hazard.pk, ctx.enterprise_manager, text, ctx.town_official, text, once=False)


def hazard_supervise(ctx):
    from hazards.models import Hazard

    hazard = _rectifying(ctx)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=days(-3))
    demand = {"demand": "三日内完成整改", "respond_by": days(3)}
    return _twice(hazard.pk, ctx.leader, demand, ctx.county_officer, demand, once=False)


def hazard_void(ctx):
    return _twice(_hazard(ctx).pk, ctx.county_officer, {"reason": "重复录入"}, ctx.officer_b)


def hazard_accountability(ctx):
    record = {
        "kind": "criticism",
        "unit": "小渡口建筑工程公司",
        "decided_on": days(0),
        "note": "通报",
    }
    return _twice(_major(ctx).pk, ctx.county_officer, record, ctx.officer_b, once=False)


# --- builders: interviews ------------------------------------------------------------------


def _interview(ctx):
    from responsibilities.interview_services import draft_interview

    return draft_interview(
        actor=ctx.county_officer,
        summoned_unit=ctx.county.town,
        reason_kind="hazard_overdue",
        reason_text="重大隐患逾期未整改",
        date=timezone.localdate(),
    )


HELD = {"held_on": None, "participants": "镇长", "minutes": "通报情况", "commitments": "7日内整改"}


def interview_hold(ctx):
    held = {**HELD, "held_on": timezone.localdate()}
    return _twice(_interview(ctx).pk, ctx.county_officer, held, ctx.officer_b)


def interview_close(ctx):
    from responsibilities.interview_services import record_held

    interview = _interview(ctx)
    record_held(
        actor=ctx.county_officer,
        interview_id=interview.pk,
        **{**HELD, "held_on": timezone.localdate()},
    )
    feedback = {"feedback_on": timezone.localdate(), "feedback": "已整改"}
    return _twice(interview.pk, ctx.county_officer, feedback, ctx.officer_b)


# --- builders: enforcement (inspections, cases) ---------------------------------------------


def _powers(ctx):
    """Certificates for town_official and a partner of 小渡口镇, one delegated item in a
    general-procedure delegation to 小渡口镇 (as tests/enforcement/conftest.py), made once."""
    if getattr(ctx, "powers", None) is None:
        from types import SimpleNamespace

        from enforcement.authority.models import Procedure
        from tests.enforcement.factories import (
            DelegatedItemFactory,
            OfficerCertificateFactory,
            TownAuthorisationFactory,
        )
        from tests.factories import TownUserFactory

        item = DelegatedItemFactory(code="WT-001", delegating_department=ctx.county.department)
        TownAuthorisationFactory(
            town=ctx.county.town, procedure_level=Procedure.GENERAL, items=[item]
        )
        partner = TownUserFactory(
            username="town_partner", display_name="钱执法", organisation=ctx.county.town
        )
        for officer in (ctx.town_official, partner):
            OfficerCertificateFactory(officer=officer)
        ctx.powers = SimpleNamespace(item=item, partner=partner)
    return ctx.powers


def _inspection(ctx, **changes):
    from enforcement.inspections import services

    _powers(ctx)
    values = {
        "enterprise": ctx.county.xdk_build,
        "inspected_on": days(0),
        "officers": [ctx.town_official.pk],
        "findings": [services.FindingInput(description="安全出口堵塞", location="一楼仓库")],
        **changes,
    }
    return services.log_inspection(actor=ctx.town_official, **values)


def inspection_add_finding(ctx):
    finding = {"description": "消防通道堆放杂物", "location": "二楼"}
    return _twice(_inspection(ctx).pk, ctx.town_official, finding, _powers(ctx).partner, once=False)


def inspection_acknowledge(ctx):
    # repeatable on a draft: the later entry replaces the earlier one
    return _twice(
        _inspection(ctx).pk,
        ctx.town_official,
        {"acknowledged_by": "周经理"},
        _powers(ctx).partner,
        {"refused_to_sign": True},
        once=False,
    )


def inspection_submit(ctx):
    inspection = _inspection(ctx, acknowledged_by="周经理")
    return _twice(inspection.pk, ctx.town_official, {}, _powers(ctx).partner)


def _case(ctx, *steps):
    """A general case of 小渡口镇 against 小渡口建筑工程公司 filed today, moved on by
    `steps` (each a service name and its input), all today."""
    from enforcement.cases import services

    powers = _powers(ctx)
    case = services.open_general_case(
        actor=ctx.town_official,
        item=powers.item,
        party_kind="organisation",
        enterprise=ctx.county.xdk_build,
        facts="未在有较大危险因素的场所设置安全警示标志",
        officers=[ctx.town_official, powers.partner],
    )
    for name, kwargs in steps:
        getattr(services, name)(actor=ctx.town_official, case_id=case.pk, **kwargs)
    return case


EVIDENCE = ("add_evidence", {"kind": "record", "description": "现场笔录", "collected_on": None})
NOTIFY = ("notify_party", {"penalty_kind": "fine", "fine": Decimal("5000"), "notified_on": None})
DECIDE = (
    "decide_case",
    {"penalty_kind": "fine", "fine": Decimal("5000"), "decided_on": None, "hearing_waived": True},
)
SERVE = ("serve_decision", {"served_on": None})
PAY = ("record_payment", {"paid_on": None})


def _today(step):
    name, kwargs = step
    return name, {k: (timezone.localdate() if v is None else v) for k, v in kwargs.items()}


def _case_race(ctx, before, step, once=True, other=None):
    case = _case(ctx, *(_today(s) for s in before))
    kwargs = _today(step)[1]
    return _twice(case.pk, ctx.town_official, kwargs, _powers(ctx).partner, other, once=once)


def case_evidence(ctx):
    return _case_race(ctx, [], EVIDENCE, once=False)


def case_notify(ctx):
    return _case_race(ctx, [EVIDENCE], NOTIFY)


def case_request_hearing(ctx):
    return _case_race(ctx, [EVIDENCE, NOTIFY], ("request_hearing", {"requested_on": None}))


def case_schedule_hearing(ctx):
    # repeatable: a hearing may be put off by a new notice
    step = ("schedule_hearing", {"notice_on": None, "hearing_on": days(7)})
    before = [EVIDENCE, NOTIFY, ("request_hearing", {"requested_on": None})]
    return _case_race(ctx, before, step, once=False)


def case_decide(ctx):
    return _case_race(ctx, [EVIDENCE, NOTIFY], DECIDE)


def case_serve(ctx):
    return _case_race(ctx, [EVIDENCE, NOTIFY, DECIDE], SERVE)


def case_pay(ctx):
    return _case_race(ctx, [EVIDENCE, NOTIFY, DECIDE, SERVE], PAY)


def case_close(ctx):
    return _case_race(
        ctx, [EVIDENCE, NOTIFY, DECIDE, SERVE, PAY], ("close_case", {"closed_on": None})
    )


# --- builders: accidents -------------------------------------------------------------------


def _accident(ctx, *steps):
    """An accident at 小渡口建筑工程公司 reported by the county office 40 minutes after it
    happened, moved on by `steps` (service name, input), all today."""
    from enforcement.accidents import services

    now = timezone.now()
    accident = services.report_accident(
        actor=ctx.county_officer,
        occurred_at=now - datetime.timedelta(minutes=40),
        reported_at=now - datetime.timedelta(minutes=20),
        town=ctx.county.town,
        place="3号车间",
        course="检修时触电",
        reported_by="王安委",
        enterprise=ctx.county.xdk_build,
        deaths=1,
        direct_loss=Decimal("50"),
    )
    for name, kwargs in steps:
        getattr(services, name)(actor=ctx.county_officer, accident_id=accident.pk, **kwargs)
    return accident


def _investigating(ctx):
    start = {"started_on": timezone.localdate(), "lead_unit": ctx.county.office, "team": "调查组"}
    return ("start_investigation", start)


def _reported_on(ctx):
    return ("submit_report", {"submitted_on": timezone.localdate(), "summary": "触电事故"})


def _decided(ctx):
    return ("decide", {"decided_on": timezone.localdate(), "decision": "同意调查报告"})


def accident_supplement(ctx):
    figures = {"deaths": 2, "serious_injuries": 1, "missing": 0, "direct_loss": Decimal("80")}
    return _twice(
        _accident(ctx).pk,
        ctx.county_officer,
        {**figures, "note": "一名重伤者抢救无效"},
        ctx.officer_b,
        {**figures, "note": "核实"},
        once=False,
    )


def accident_investigate(ctx):
    return _twice(_accident(ctx).pk, ctx.county_officer, _investigating(ctx)[1], ctx.officer_b)


def accident_extend(ctx):
    # 40 + 40 days pass the 60-day limit: the second extension must see the first
    ask = {"days": 40, "reason": "技术鉴定未完成"}
    return _twice(_accident(ctx, _investigating(ctx)).pk, ctx.county_officer, ask, ctx.officer_b)


def accident_submit_report(ctx):
    accident = _accident(ctx, _investigating(ctx))
    return _twice(accident.pk, ctx.county_officer, _reported_on(ctx)[1], ctx.officer_b)


def accident_decide(ctx):
    accident = _accident(ctx, _investigating(ctx), _reported_on(ctx))
    return _twice(accident.pk, ctx.county_officer, _decided(ctx)[1], ctx.officer_b)


def accident_close(ctx):
    accident = _accident(ctx, _investigating(ctx), _reported_on(ctx), _decided(ctx))
    closing = {"closed_on": timezone.localdate()}
    return _twice(accident.pk, ctx.county_officer, closing, ctx.officer_b)


# --- builders: duty items ------------------------------------------------------------------


def _duty_item(ctx, done=False):
    from responsibilities import duty_services

    duty_list = duty_services.create_duty_list(
        actor=ctx.county_officer, year=timezone.localdate().year, owner=ctx.county.town
    )
    item = duty_services.add_duty_item(
        actor=ctx.county_officer, duty_list_id=duty_list.pk, content="每月组织安全生产检查"
    )
    if done:
        duty_services.mark_duty_item_done(
            actor=ctx.town_official, item_id=item.pk, evidence_note="已检查12次"
        )
    return item


def duty_item_mark_done(ctx):
    return _twice(
        _duty_item(ctx).pk,
        ctx.town_official,
        {"evidence_note": "已检查12次"},
        _powers(ctx).partner,
        {"evidence_note": "已检查"},
    )


def duty_item_reopen(ctx):
    return _twice(
        _duty_item(ctx, done=True).pk,
        ctx.county_officer,
        {"reason": "佐证不足"},
        ctx.town_official,
        {"reason": "误标"},
    )


# --- builders: whistleblower reports -------------------------------------------------------


def _report(ctx, *steps, description="消防通道被堵"):
    """A named whistleblower's report on 小渡口化工 moved on by `steps`: "accept",
    "assign" (to 小渡口镇), "verify" (substantiated, by town_official), "feedback",
    "reward" (computed by town_official), "approve" (by the county office)."""
    from enforcement.reports import services
    from enforcement.reports.rewards import ensure_reward_rules

    report = services.submit_report(
        kind="hazard",
        enterprise_name=ctx.county.xdk_chem.name,
        location="仓库",
        description=description,
        name="赵举报",
        phone="13800000000",
        relation="车间工人",
        is_whistleblower=True,
    )
    pk = report.pk
    calls = {
        "accept": lambda: services.accept_report(actor=ctx.county_officer, report_id=pk),
        "assign": lambda: services.assign_report(
            actor=ctx.county_officer, report_id=pk, unit=ctx.county.town
        ),
        "verify": lambda: services.verify_report(
            actor=ctx.town_official,
            report_id=pk,
            outcome="substantiated",
            findings="属实",
            enterprise=ctx.county.xdk_chem,
        ),
        "feedback": lambda: services.give_feedback(
            actor=ctx.town_official, report_id=pk, feedback="已核实并责令整改"
        ),
        "reward": lambda: (
            ensure_reward_rules(),
            services.compute_reward(
                actor=ctx.town_official, report_id=pk, basis="fine_share", fine=Decimal("40000")
            ),
        ),
        "approve": lambda: services.approve_reward(actor=ctx.county_officer, report_id=pk),
    }
    for step in steps:
        calls[step]()
    return report


ASSIGNED = ("accept", "assign")
VERIFIED = (*ASSIGNED, "verify")


def _county_race(ctx, steps, first, second=None, once=True):
    return _twice(_report(ctx, *steps).pk, ctx.county_officer, first, ctx.officer_b, second, once)


def _unit_race(ctx, steps, first, second=None, once=True):
    report = _report(ctx, *steps)
    return _twice(report.pk, ctx.town_official, first, _powers(ctx).partner, second, once)


def report_accept(ctx):
    return _county_race(ctx, (), {"note": ""})


def report_reject(ctx):
    return _county_race(ctx, (), {"reason": "无具体内容"})


def report_assign(ctx):
    # repeatable: the county office may route a report again to another unit
    return _county_race(
        ctx, ("accept",), {"unit": ctx.county.town}, {"unit": ctx.county.department}, once=False
    )


def report_extend(ctx):
    # once only: the second extension must see the first (move_refusal under the lock)
    return _county_race(ctx, ASSIGNED, {"days": 30, "reason": "联合核查"})


def report_verify(ctx):
    return _unit_race(
        ctx,
        ASSIGNED,
        {"outcome": "substantiated", "findings": "属实", "enterprise": ctx.county.xdk_chem},
        {"outcome": "unsubstantiated", "findings": "不属实"},
    )


def report_feedback(ctx):
    return _unit_race(ctx, VERIFIED, {"feedback": "已核实并责令整改"})


def report_merge(ctx):
    into = _report(ctx, description="仓库消防通道堵塞")
    return _county_race(ctx, (), {"into": into})


def report_to_hazard(ctx):
    hazard = {
        "location": "仓库",
        "description": "消防通道堵塞",
        "deadline": days(10),
        "responsible_person": "王厂长",
    }
    return _unit_race(ctx, VERIFIED, hazard)


def report_to_case(ctx):
    powers = _powers(ctx)
    case = {
        "item": powers.item,
        "officers": [ctx.town_official, powers.partner],
        "facts": "消防通道堵塞",
    }
    return _unit_race(ctx, VERIFIED, case)


def report_reward(ctx):
    # repeatable until approved: the later computation replaces the earlier one
    from enforcement.reports.rewards import ensure_reward_rules

    ensure_reward_rules()
    reward = {"basis": "fine_share", "fine": Decimal("40000")}
    return _unit_race(ctx, VERIFIED, reward, {**reward, "fine": Decimal("50000")}, once=False)


def report_approve_reward(ctx):
    return _county_race(ctx, (*VERIFIED, "reward"), {"note": ""})


def report_pay_reward(ctx):
    return _county_race(ctx, (*VERIFIED, "reward", "approve"), {"paid_on": days(0)})


# --- builders: appraisal results -----------------------------------------------------------


def _appraisal(ctx, *steps):
    """小渡口镇's computed result (a draft) in last year's round of
    tests/responsibilities/appraisal_setup.py, its manual indicator scored, moved on by
    `steps`: "submit" (the county office reviews)."""
    from responsibilities import appraisal_services
    from responsibilities.appraisal_models import IndicatorScore
    from tests.responsibilities.appraisal_setup import build_scheme, open_and_compute, result_of

    setup = build_scheme(ctx.county, ctx.county_officer)
    open_and_compute(setup, ctx.county_officer)
    result = result_of(setup, ctx.county.town)
    manual = IndicatorScore.objects.get(result=result, indicator__code="M1")
    appraisal_services.adjust_score(
        actor=ctx.county_officer, score=manual, points=18, reason="述职评议"
    )
    if "submit" in steps:
        appraisal_services.submit_review(actor=ctx.county_officer, result_id=result.pk)
    return result


def appraisal_comment(ctx):
    # repeatable: a later self-report replaces the earlier one until the review
    return _twice(
        _appraisal(ctx).pk,
        ctx.town_official,
        {"self_report": "全年完成责任清单三项"},
        _powers(ctx).partner,
        {"self_report": "补充说明"},
        once=False,
    )


def appraisal_submit(ctx):
    review = {"review_note": "同意"}
    return _twice(_appraisal(ctx).pk, ctx.county_officer, review, ctx.officer_b)


def appraisal_recompute(ctx):
    return _twice(_appraisal(ctx).pk, ctx.county_officer, {}, ctx.officer_b)


def _leader_b(ctx):
    from tests.factories import LeaderFactory

    return LeaderFactory(username="leader_b", display_name="钱副县长")


def appraisal_approve(ctx):
    result = _appraisal(ctx, "submit")
    return _twice(result.pk, ctx.leader, {"note": "同意"}, _leader_b(ctx))


def appraisal_send_back(ctx):
    result = _appraisal(ctx, "submit")
    return _twice(result.pk, ctx.leader, {"note": "请核实扣分"}, _leader_b(ctx))


# --- builders: self-assessments ------------------------------------------------------------


def _assessment(ctx, submit=False):
    """小渡口建筑工程公司's self-assessment on the small template of
    tests/enterprises/factories_duties.py, optionally submitted."""
    from enterprises.assessment import services
    from tests.enterprises.factories_duties import PeriodFactory, small_template

    small_template()
    period = PeriodFactory(year=timezone.localdate().year)
    assessment = services.start_assessment(
        actor=ctx.enterprise_manager, enterprise=ctx.county.xdk_build, period=period
    )
    if submit:
        services.submit_assessment(
            actor=ctx.enterprise_manager, assessment_id=assessment.pk, answers=_scores(assessment)
        )
    return assessment


def _scores(assessment, score="8"):
    return {
        pk: {"score": Decimal(score), "not_applicable": False, "note": ""}
        for pk in assessment.answers.values_list("pk", flat=True)
    }


def _manager_b(ctx):
    from tests.factories import EnterpriseUserFactory

    return EnterpriseUserFactory(username="manager_b", enterprise=ctx.county.xdk_build)


def assessment_save(ctx):
    assessment = _assessment(ctx)
    return _twice(
        assessment.pk,
        ctx.enterprise_manager,
        {"answers": _scores(assessment)},
        _manager_b(ctx),
        {"answers": _scores(assessment, "6")},
        once=False,
    )


def assessment_submit(ctx):
    assessment = _assessment(ctx)
    return _twice(
        assessment.pk,
        ctx.enterprise_manager,
        {"answers": _scores(assessment)},
        _manager_b(ctx),
        {"answers": _scores(assessment, "6")},
    )


def assessment_accept(ctx):
    review = {"adjustments": {}, "note": "同意"}
    return _twice(_assessment(ctx, submit=True).pk, ctx.town_official, review, _powers(ctx).partner)


def assessment_return(ctx):
    review = {"adjustments": {}, "note": "证据不足，请补充"}
    return _twice(_assessment(ctx, submit=True).pk, ctx.town_official, review, _powers(ctx).partner)


RACES: dict[str, Callable] = {
    "hazard:start": hazard_start,
    "hazard:determine": hazard_determine,
    "hazard:assign": hazard_assign,
    "hazard:progress": hazard_progress,
    "hazard:submit": hazard_submit,
    "hazard:verify": hazard_verify,
    "hazard:request-extension": hazard_request_extension,
    "hazard:decide-extension": hazard_decide_extension,
    "hazard:explain": hazard_explain,
    "hazard:supervise": hazard_supervise,
    "hazard:void": hazard_void,
    "hazard:accountability": hazard_accountability,
    "interview:hold": interview_hold,
    "interview:close": interview_close,
    "inspection:add-finding": inspection_add_finding,
    "inspection:acknowledge": inspection_acknowledge,
    "inspection:submit": inspection_submit,
    "case:evidence": case_evidence,
    "case:notify": case_notify,
    "case:request-hearing": case_request_hearing,
    "case:schedule-hearing": case_schedule_hearing,
    "case:decide": case_decide,
    "case:serve": case_serve,
    "case:pay": case_pay,
    "case:close": case_close,
    "accident:supplement": accident_supplement,
    "accident:investigate": accident_investigate,
    "accident:extend": accident_extend,
    "accident:submit-report": accident_submit_report,
    "accident:decide": accident_decide,
    "accident:close": accident_close,
    "duty_item:mark-done": duty_item_mark_done,
    "duty_item:reopen": duty_item_reopen,
    "report:accept": report_accept,
    "report:reject": report_reject,
    "report:assign": report_assign,
    "report:extend": report_extend,
    "report:verify": report_verify,
    "report:feedback": report_feedback,
    "report:merge": report_merge,
    "report:to-hazard": report_to_hazard,
    "report:to-case": report_to_case,
    "report:reward": report_reward,
    "report:approve-reward": report_approve_reward,
    "report:pay-reward": report_pay_reward,
    "appraisal:comment": appraisal_comment,
    "appraisal:submit": appraisal_submit,
    "appraisal:approve": appraisal_approve,
    "appraisal:send_back": appraisal_send_back,
    "appraisal:recompute": appraisal_recompute,
    "assessment:save": assessment_save,
    "assessment:submit": assessment_submit,
    "assessment:accept": assessment_accept,
    "assessment:return": assessment_return,
}

# Steps whose race has no builder yet (the services lock and check again, but this test
# does not prove it for them yet). This list may only shrink: a step listed here that has a
# builder, or a new step in neither place, fails the test below.
NOT_YET_COVERED: set[str] = set()


def test_every_workflow_step_has_a_race():
    steps = all_steps()
    missing = [s for s in steps if s not in RACES and s not in NOT_YET_COVERED]
    assert missing == [], (
        "add a builder to RACES in tests/test_concurrent_steps.py for: " + ", ".join(missing)
    )
    stale = sorted((set(RACES) | NOT_YET_COVERED) - set(steps))
    assert stale == [], f"steps that no longer exist: {stale}"
    assert not set(RACES) & NOT_YET_COVERED
    print(f"\n{len(steps)} workflow steps, {len(RACES)} raced, {len(NOT_YET_COVERED)} not yet")


def _step(key):
    workflow_name, step_name = key.split(":")
    workflow = all_workflows()[workflow_name]
    return workflow, workflow.get(step_name)


@pytest.fixture
def ctx(county, county_officer, leader, town_official, enterprise_manager):
    from types import SimpleNamespace

    return SimpleNamespace(
        county=county,
        county_officer=county_officer,
        officer_b=CountyOfficerFactory(username="county_b", organisation=county.office),
        leader=leader,
        town_official=town_official,
        enterprise_manager=enterprise_manager,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", sorted(RACES))
def test_the_same_step_twice_at_once_succeeds_at_most_once(key, ctx):
    assert connection.vendor == "postgresql", "this test needs PostgreSQL (row locks)"
    workflow, step = _step(key)
    race = RACES[key](ctx)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(actor, kwargs):
        try:
            barrier.wait(timeout=10)
            step.service(actor=actor, **{workflow.object_arg: race.pk}, **kwargs)
            outcomes.append("ok")
        except (StepNotAllowed, ValidationError) as error:
            outcomes.append(f"refused: {error}")
        except Exception as error:  # a 500, a deadlock, a unique violation: all wrong
            outcomes.append(f"ERROR {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=call) for call in (race.first, race.second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "deadlock: a step never returned"
    assert len(outcomes) == 2
    assert [o for o in outcomes if o.startswith("ERROR")] == []
    if race.once:
        assert outcomes.count("ok") == 1, outcomes
    else:
        assert outcomes.count("ok") >= 1, outcomes


@pytest.mark.django_db(transaction=True)
def test_two_reports_merged_into_each_other_at_once_do_not_deadlock(ctx):
    """A into B and B into A at the same moment: each merge locks both reports, so they
    must lock them in the same order (else PostgreSQL breaks a deadlock with an error)."""
    from enforcement.reports import services
    from enforcement.reports.models import Report, ReportStatus

    for _round in range(5):  # the crossing needs both first locks taken: try a few times
        a = _report(ctx)
        b = _report(ctx, description="仓库消防通道堵塞")
        outcomes = _at_once(
            lambda a=a, b=b: services.merge_report(
                actor=ctx.county_officer, report_id=a.pk, into=b
            ),
            lambda a=a, b=b: services.merge_report(actor=ctx.officer_b, report_id=b.pk, into=a),
        )
        assert [o for o in outcomes if o.startswith("ERROR")] == []
        assert outcomes.count("ok") == 1, outcomes
        pair = Report.objects.filter(pk__in=[a.pk, b.pk])
        assert sorted(pair.values_list("status", flat=True)).count(ReportStatus.MERGED) == 1


def _at_once(*calls) -> list[str]:
    """Run `calls` in parallel threads (each its own connection) released together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def take(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except (StepNotAllowed, ValidationError) as error:
            outcomes.append(f"refused: {error}")
        except Exception as error:
            outcomes.append(f"ERROR {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "deadlock: a call never returned"
    return outcomes
