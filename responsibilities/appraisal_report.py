"""The year-end appraisal reports (issue 12 item 3, ADR 0047): a unit's report (totals,
grade, veto, each indicator's points with the summary, explanation, adjustment and reason,
the opinions, and the evidence tables) and the county summary (units ranked by total
within their type, grades, vetoed units, per-indicator averages).

Both are read from a round's stored scores and evidence, never recomputed: the report says
what the published (or reviewed) result says. The report kinds are registered in
responsibilities/report_kinds.py; the composition layer stores, queues and serves them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from responsibilities.appraisal_models import (
    AppraisalResult,
    AppraisalRound,
    Grade,
    IndicatorKind,
    IndicatorScore,
    ResultStatus,
    ScoreEvidence,
)
from responsibilities.models import TOWN_LEVEL_KINDS, OrganisationKind

# the unit kinds an appraisal report is made for
UNIT_KINDS = (*TOWN_LEVEL_KINDS, OrganisationKind.DEPARTMENT, OrganisationKind.COMMITTEE)
# the county summary's sections, in order: (key, organisation kinds)
UNIT_TYPES = (
    ("town", TOWN_LEVEL_KINDS),
    ("department", (OrganisationKind.DEPARTMENT,)),
    ("committee", (OrganisationKind.COMMITTEE,)),
)
CHART_WIDTH = 260  # the longest bar (the indicator with the most points), in SVG units
CHART_ROW = 20


def _type_label(key: str) -> str:
    return {"town": _("镇街"), "department": _("部门"), "committee": _("专委会")}[key]


# --- who may have it, and when -----------------------------------------------------------------


def unit_unavailable(*, unit, period_start, period_end) -> str | None:
    result = (
        AppraisalResult.objects.filter(round__year=period_start.year, unit=unit)
        .only("status")
        .first()
    )
    if result is None:
        return _("%(year)s年度考核没有“%(unit)s”的考核结果，不能生成考核报告。") % {
            "year": period_start.year,
            "unit": unit,
        }
    if result.status == ResultStatus.COMPUTING:
        return _("“%(unit)s”的得分还在计算中，请计算完成后再生成考核报告。") % {"unit": unit}
    return None


def county_unavailable(*, unit, period_start, period_end) -> str | None:
    figures = AppraisalResult.objects.filter(round__year=period_start.year).aggregate(
        total=Count("pk"), computing=Count("pk", filter=Q(status=ResultStatus.COMPUTING))
    )
    if not figures["total"]:
        return _("%(year)s年度考核尚未启动或没有考核结果，不能生成汇总报告。") % {
            "year": period_start.year
        }
    if figures["computing"]:
        return _("还有 %(count)s 个单位的得分在计算中，请计算完成后再生成汇总报告。") % {
            "count": figures["computing"]
        }
    return None


def unit_readers(user):
    """What a town or department official reads of the unit reports (a Q over the stored
    report's `unit_id` and `period_start`): their own unit's once its result is published,
    and, for a committee's lead unit, the reports of the results it reviews."""
    from responsibilities.permissions import appraisal_report_results

    results = AppraisalResult.objects.filter(
        appraisal_report_results(user),
        unit_id=OuterRef("unit_id"),
        round__year=OuterRef("period_start__year"),
    )
    return Q(Exists(results))


# --- titles -------------------------------------------------------------------------------------


def unit_title(*, unit, period_label: str) -> str:
    return _("%(period)s%(unit)s安全生产考核报告") % {"period": period_label, "unit": unit.name}


def county_title(*, unit, period_label: str) -> str:
    return _("%(period)s全县安全生产考核汇总报告") % {"period": period_label}


# --- a unit's report ----------------------------------------------------------------------------


def _chart(rows: list[tuple[str, Decimal, Decimal]]) -> dict:
    """Bars of (label, points available, points earned), scaled to the largest available;
    the template draws them."""
    top = max((available for _label, available, _earned in rows), default=0) or 1
    drawn = []
    for index, (label, available, earned) in enumerate(rows):
        drawn.append(
            {
                "label": label,
                "available": available,
                "earned": earned,
                "y": index * CHART_ROW + 3,
                "text_y": index * CHART_ROW + 14,
                "width": round(float(CHART_WIDTH * available / top), 1),
                "earned_width": round(float(CHART_WIDTH * max(earned, 0) / top), 1),
            }
        )
    return {"rows": drawn, "height": max(len(rows), 1) * CHART_ROW, "value_x": CHART_WIDTH + 215}


def unit_context(*, unit, period_start, period_end, content, progress) -> dict:
    result = (
        AppraisalResult.objects.select_related(
            "round",
            "round__scheme",
            "appraiser",
            "commented_by",
            "reviewed_by",
            "approved_by",
        )
        .filter(round__year=period_start.year, unit=unit)
        .first()
    )
    if result is None or result.status == ResultStatus.COMPUTING:
        raise ValueError(unit_unavailable(unit=unit, period_start=period_start, period_end=None))
    progress(20, _("读取指标得分"))
    scores = list(
        IndicatorScore.objects.filter(result=result)
        .select_related("indicator", "adjusted_by")
        .order_by("indicator__sort_order", "indicator__code")
    )
    progress(40, _("读取扣分依据"))
    evidence = defaultdict(list)
    for row in (
        ScoreEvidence.objects.filter(score__result=result)
        .order_by("score_id", "position")
        .values("score_id", "position", "label", "note")
    ):
        evidence[row["score_id"]].append(row)
    chart_rows = []
    available = Decimal(0)
    for score in scores:
        score.rows = evidence.get(score.pk, [])
        score.is_veto = score.indicator.kind == IndicatorKind.VETO
        score.is_pending = score.indicator.kind == IndicatorKind.MANUAL and score.points is None
        if not score.is_veto:
            available += score.indicator.points
            chart_rows.append(
                (
                    f"{score.indicator.code} {score.indicator.name}",
                    score.indicator.points,
                    score.points or Decimal(0),
                )
            )
    progress(55, _("绘制得分图"))
    return {
        "result": result,
        "unit": unit,
        "scheme": result.round.scheme,
        "scores": scores,
        "available": available,
        "chart": _chart(chart_rows),
        "with_evidence": [score for score in scores if score.rows],
        "vetoing": [score for score in scores if score.vetoes],
    }


# --- the county summary -------------------------------------------------------------------------


def county_context(*, unit, period_start, period_end, content, progress) -> dict:
    round_ = AppraisalRound.objects.select_related("scheme").filter(year=period_start.year).first()
    reason = county_unavailable(unit=None, period_start=period_start, period_end=period_end)
    if round_ is None or reason:
        raise ValueError(reason)
    progress(15, _("读取各单位总分"))
    results = list(
        AppraisalResult.objects.filter(round=round_)
        .select_related("unit")
        .order_by("-total", "unit__sort_order", "unit__code")
    )
    sections = []
    for key, kinds in UNIT_TYPES:
        rows = [result for result in results if result.unit.kind in kinds]
        rank, previous = 0, None
        for position, result in enumerate(rows, start=1):
            if result.total != previous:  # equal totals share a rank
                rank, previous = position, result.total
            result.rank = rank
        if rows:
            sections.append({"key": key, "label": _type_label(key), "results": rows})
    progress(35, _("统计等次分布"))
    counts = {
        row["grade"]: row["n"]
        for row in AppraisalResult.objects.filter(round=round_)
        .values("grade")
        .annotate(n=Count("pk"))
    }
    grades = [(label, counts.get(value, 0)) for value, label in Grade.choices]
    vetoed = [result for result in results if result.vetoed]
    progress(50, _("统计各指标平均得分"))
    averages = list(
        IndicatorScore.objects.filter(result__round=round_)
        .values(
            "indicator__code",
            "indicator__name",
            "indicator__kind",
            "indicator__points",
            "indicator__sort_order",
        )
        .annotate(
            units=Count("pk"),
            average=Avg(Coalesce("adjusted_points", "computed_points")),
            vetoes=Count("pk", filter=Q(vetoes=True)),
        )
        .order_by("indicator__sort_order", "indicator__code")
    )
    # counted apart: joining the evidence would repeat each score in the averages
    evidence = dict(
        ScoreEvidence.objects.filter(score__result__round=round_)
        .values_list("score__indicator__code")
        .annotate(n=Count("pk"))
        .values_list("score__indicator__code", "n")
    )
    for row in averages:
        row["evidence"] = evidence.get(row["indicator__code"], 0)
        row["is_veto"] = row["indicator__kind"] == IndicatorKind.VETO
        if row["average"] is not None:
            row["average"] = Decimal(row["average"]).quantize(Decimal("0.01"))
    chart = _chart(
        [
            (
                f"{row['indicator__code']} {row['indicator__name']}",
                row["indicator__points"],
                row["average"] or Decimal(0),
            )
            for row in averages
            if not row["is_veto"]
        ]
    )
    published = sum(1 for result in results if result.status == ResultStatus.PUBLISHED)
    return {
        "round": round_,
        "scheme": round_.scheme,
        "sections": sections,
        "grades": grades,
        "vetoed": vetoed,
        "averages": averages,
        "chart": chart,
        "unit_count": len(results),
        "published": published,
    }
