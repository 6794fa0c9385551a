"""The demo's year-end appraisal (述职评议, issue 11 item 5): a scheme of every rule the
ledgers provide plus two manual indicators, a round for the demo's year computed from the
demo's ledgers, a few units' comments, the reviewers' scores and adjustments with
reasons, the leader's approval and the publication.

It reads every ledger, so load_demo calls it last. The demo's ledgers are dated relative
to today (this year's hazards, plans, accidents, self-assessments and duty lists
reproduce the county report's figures "this year to date"), so the round is for the
current year with today as the data snapshot: the year that holds the data. (The
previous year has only last year's accidents and duty lists, no plans, almost no hazards,
and no supervision map before 2026.) The demo has no 较大 accident (the report's figures
are 7 general ones), so no unit is vetoed.

Each result is computed synchronously here (compute_result), not by the Celery task;
the tasks open_round queues on commit find the results computed and skip them.
Idempotent: a second run finds the year's scheme and stops.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from responsibilities import appraisal_services as services
from responsibilities.appraisal_models import (
    AppraisalResult,
    AppraisalScheme,
    IndicatorKind,
    IndicatorScore,
)
from responsibilities.models import OrganisationKind
from safetyportal.accounts.models import Role, User

# code, name, kind, rule, points, towns, departments, committees, params, description
INDICATORS: tuple[tuple[Any, ...], ...] = (
    ("A1", "责任清单事项完成率", IndicatorKind.COMPUTED,
     "responsibilities.duty_items_completed", 15, True, True, False, {},
     "年度责任清单到期事项的完成比例，按比例计分。"),
    ("A2", "重大事故隐患按期销号率", IndicatorKind.COMPUTED,
     "hazards.major_closed_on_time", 15, True, True, False, {},
     "整改期限在年度内的重大事故隐患按期销号的比例，按比例计分。"),
    ("A3", "一般事故隐患整改率", IndicatorKind.COMPUTED,
     "hazards.general_rectification_rate", 15, True, True, False, {},
     "年度内发现的一般事故隐患已整改销号的比例，按比例计分。"),
    ("A4", "执法检查计划完成率", IndicatorKind.COMPUTED,
     "enforcement.inspections_against_plan", 15, True, True, False, {},
     "年度执法检查计划到期检查对象的完成比例，按比例计分。"),
    ("A5", "企业安全生产自评覆盖率", IndicatorKind.COMPUTED,
     "enterprises.self_assessment_coverage", 5, True, True, False, {},
     "在营企业提交年度安全生产自评的比例，按比例计分。"),
    ("A6", "举报按期办结率", IndicatorKind.COMPUTED,
     "enforcement.reports_handled_on_time", 5, True, True, False, {},
     "承办的举报在核查、反馈期限内办结的比例，按比例计分。"),
    ("C1", "专委会责任清单完成率", IndicatorKind.COMPUTED,
     "responsibilities.duty_items_completed", 30, False, False, True, {},
     "专委会年度责任清单到期事项的完成比例，按比例计分。"),
    ("C2", "专委会会商研判", IndicatorKind.COMPUTED,
     "responsibilities.committee_meetings_held", 40, False, False, True, {"required": 4},
     "每季度至少召开 1 次会商研判会议，按召开次数计分。"),
    ("B1", "述职报告质量", IndicatorKind.MANUAL, "", 20, True, True, True, {},
     "述职报告内容全面、数据准确、问题查摆深入，由考核单位评议打分。"),
    ("B2", "工作创新", IndicatorKind.MANUAL, "", 10, True, True, True, {},
     "安全监管工作的创新做法和经验推广情况，由考核单位评议打分。"),
    ("V1", "较大及以上生产安全事故", IndicatorKind.VETO,
     "enforcement.serious_accident_veto", 0, True, True, False, {},
     "辖区（行业）发生较大及以上生产安全事故的，一票否决。"),
)  # fmt: skip

# username -> the self-report the unit writes on its draft
COMMENTS = {
    "town_xdk": "对计算结果无异议。本镇重大隐患已全部交办到位，个别一般隐患因企业停产整改，"
    "已纳入下年度跟踪清单。",
    "town_lyj": "执法检查计划部分对象已注销或搬迁，建议核减计划基数；其余指标无异议。",
    "dept_yjj": "本局牵头行业的企业自评率偏低，已部署专项督促；其余指标无异议。",
}
# (unit code, indicator code, points, reason): reviewers' adjustments of computed scores
ADJUSTMENTS = (
    ("430723002", "A4", "12.00", "经核实，计划中部分企业已注销或搬迁，按核减基数后的完成情况计分。"),
    ("430723102", "A3", "14.00", "该镇主动排查上报隐患数量居全县首位，未整改隐患均已落实管控措施，酌情加分。"),
    ("dept-yjj", "A5", "4.00", "牵头行业企业自评已于数据截止日后集中补报，经评议酌情计分。"),
)  # fmt: skip


def _manual_points(rng: random.Random, points: int) -> Decimal:
    """A reviewer's score: 70-100 % of the points, in half points."""
    return (Decimal(points) * Decimal(rng.randint(14, 20)) / 20).quantize(Decimal("0.5"))


def load_appraisal_demo(stdout) -> None:
    today = timezone.localdate()
    year = today.year
    if AppraisalScheme.objects.filter(year=year).exists():
        stdout.write("考核演示数据已存在，跳过。")
        load_appraisal_reports_demo(stdout, year)  # a demo loaded before the reports existed
        return
    county = User.objects.filter(username="county").first()
    leader = User.objects.filter(username="leader", role=Role.LEADER).first()
    if county is None or leader is None:
        stdout.write("缺少县安委办或县领导演示账号，未加载考核演示数据。")
        return
    started = time.perf_counter()
    rng = random.Random(f"appraisal-{year}")
    with transaction.atomic():
        scheme = services.save_scheme(
            actor=county,
            year=year,
            title=f"{year}年度安全生产工作考核方案",
            document_number=f"澧安〔{year}〕12号",
        )
        for order, (code, name, kind, rule, points, towns, depts, comms, params, text) in enumerate(
            INDICATORS, start=1
        ):
            services.save_indicator(
                actor=county,
                scheme=scheme,
                values={
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "rule": rule,
                    "method": "",
                    "points": Decimal(points),
                    "params": params,
                    "for_towns": towns,
                    "for_departments": depts,
                    "for_committees": comms,
                    "description": text,
                    "sort_order": order * 10,
                },
            )
        round_ = services.open_round(actor=county, scheme=scheme, snapshot_date=today)
        results = list(
            AppraisalResult.objects.filter(round=round_).select_related("unit").order_by("pk")
        )
        for result in results:
            services.compute_result(result.pk)
        computed_at = time.perf_counter()

        by_code = {result.unit.code: result for result in results}
        for username, text in COMMENTS.items():
            user = User.objects.get(username=username)
            result = next(r for r in results if r.unit_id == user.organisation_id)
            services.comment(actor=user, result_id=result.pk, self_report=text)
        for unit_code, indicator_code, adjusted, reason in ADJUSTMENTS:
            score = IndicatorScore.objects.select_related("indicator", "result").get(
                result=by_code[unit_code], indicator__code=indicator_code
            )
            services.adjust_score(actor=county, score=score, points=adjusted, reason=reason)
        manual = IndicatorScore.objects.filter(
            result__round=round_, indicator__kind=IndicatorKind.MANUAL
        ).select_related("indicator", "result", "result__appraiser")
        for score in manual.order_by("result_id", "indicator__sort_order"):
            services.adjust_score(
                actor=county,
                score=score,
                points=_manual_points(rng, int(score.indicator.points)),
                reason=f"{score.result.appraiser.short_name or score.result.appraiser.name}评议打分",
            )
        for result in results:
            services.submit_review(
                actor=county, result_id=result.pk, review_note="经考核组评议，同意该得分。"
            )
            services.approve(actor=leader, result_id=result.pk, note="同意。")
        services.publish_round(actor=county, round_=round_)
    seconds = time.perf_counter() - started
    vetoed = AppraisalResult.objects.filter(round=round_, vetoed=True).count()
    town_count = AppraisalResult.objects.filter(
        round=round_, unit__kind__in=(OrganisationKind.TOWN, OrganisationKind.SUBDISTRICT)
    ).count()
    stdout.write(
        f"年度考核：{year}年度 {len(results)} 个单位（镇街 {town_count} 个），一票否决 {vetoed} 个，"
        f"已审定并公布；计算 {computed_at - started:.1f} 秒，共 {seconds:.1f} 秒。"
    )
    load_appraisal_reports_demo(stdout, year)


# the units whose appraisal report the demo generates (besides the county summary)
REPORT_UNITS = ("430723102",)  # 小渡口镇


def load_appraisal_reports_demo(stdout, year: int) -> None:
    """The county summary and 小渡口镇's report of the demo round, rendered here (ADR 0047)
    so the report list has them at once (nothing is queued for a worker).
    Idempotent: a stored report is left alone."""
    from responsibilities.models import Organisation
    from responsibilities.report_kinds import APPRAISAL_COUNTY, APPRAISAL_UNIT
    from safetyportal.core.reports import year_period
    from safetyportal.dashboard.reports.jobs import build_report, ensure_report

    start, end, label = year_period(year)
    wanted = [(APPRAISAL_COUNTY, None)] + [
        (APPRAISAL_UNIT, unit) for unit in Organisation.objects.filter(code__in=REPORT_UNITS)
    ]
    for kind, unit in wanted:
        started = time.perf_counter()
        with transaction.atomic():
            report = ensure_report(
                kind=kind,
                unit=unit,
                period_start=start,
                period_end=end,
                period_label=label,
                enqueue=lambda report: None,  # built right here, no worker needed
            )
            if report is None:
                continue
            build_report(report.pk)
        report.refresh_from_db()
        stdout.write(
            f"考核报告：{report.file_name}，{report.pages} 页，"
            f"{time.perf_counter() - started:.1f} 秒。"
        )
