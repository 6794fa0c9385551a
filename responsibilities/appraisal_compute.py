"""Computing an appraisal result from the ledgers (ADR 0039), apart from the services so the
Celery task (responsibilities/tasks.py) imports this and the services import the task,
without an import cycle.

`compute_result` scores one indicator at a time in its own short transaction, writes the
progress after each, and finishes by moving the result from `computing` to `draft`. It uses
no clock except for `computed_at`: the rules read records dated on or before the round's
snapshot date, so a recomputation on the same data stores the same scores and evidence. A
worker that dies mid-run leaves the result `computing`; the periodic
`resume_appraisal_computations` sends it again, and computing twice is safe.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from responsibilities.appraisal_models import (
    AppraisalIndicator,
    AppraisalResult,
    IndicatorKind,
    IndicatorScore,
    ResultStatus,
    ScoreEvidence,
)
from responsibilities.appraisal_rules import EVIDENCE_LIMIT, Method, Period, get_rule, points_for
from safetyportal.audit.services import record_event

logger = logging.getLogger(__name__)


def lock_result(result_id: int) -> AppraisalResult:
    return (
        AppraisalResult.objects.select_for_update(of=("self",))
        .select_related("round__scheme", "unit", "appraiser")
        .get(pk=result_id)
    )


def computing_ids() -> list[int]:
    """The results still `computing` (a worker died, the broker was down)."""
    return list(
        AppraisalResult.objects.filter(status=ResultStatus.COMPUTING).values_list("pk", flat=True)
    )


def applicable_indicators(result: AppraisalResult) -> list[AppraisalIndicator]:
    return [
        indicator
        for indicator in result.round.scheme.indicators.order_by("sort_order", "code")
        if indicator.applies_to(result.unit.kind)
    ]


def compute_result(result_id: int) -> str:
    """Score every indicator of one result from the ledgers; see the module docstring."""
    result = (
        AppraisalResult.objects.select_related("round__scheme", "unit").filter(pk=result_id).first()
    )
    if result is None or result.status != ResultStatus.COMPUTING:
        return "skipped"
    period = Period(year=result.round.year, snapshot=result.round.snapshot_date)
    indicators = applicable_indicators(result)
    try:
        for done, indicator in enumerate(indicators, start=1):
            with transaction.atomic():
                _score(result, indicator, period)
                AppraisalResult.objects.filter(pk=result.pk).update(
                    progress=int(100 * done / len(indicators))
                )
    except Exception as error:
        logger.exception("appraisal result %s could not be computed", result_id)
        AppraisalResult.objects.filter(pk=result.pk).update(compute_error=str(error)[:300])
        raise
    with transaction.atomic():
        result = lock_result(result_id)
        if result.status != ResultStatus.COMPUTING:
            return "skipped"
        IndicatorScore.objects.filter(result=result).exclude(
            indicator__in=[indicator.pk for indicator in indicators]
        ).delete()
        sum_scores(result)
        result.status = ResultStatus.DRAFT
        result.progress = 100
        result.compute_error = ""
        result.snapshot_date = result.round.snapshot_date
        result.computed_at = timezone.now()
        result.save()
        record_event(
            actor=None,
            verb="appraisal_result.computed",
            target=result,
            payload={
                "total": result.total,
                "vetoed": result.vetoed,
                "snapshot": result.snapshot_date,
            },
        )
    return ResultStatus.DRAFT


def _score(result: AppraisalResult, indicator: AppraisalIndicator, period: Period) -> None:
    score, _created = IndicatorScore.objects.get_or_create(result=result, indicator=indicator)
    if indicator.kind == IndicatorKind.MANUAL:
        score.explanation = _("评议计分：由考核单位评审打分")
        score.save(update_fields=["explanation"])
        return
    rule = get_rule(indicator.rule)
    if rule is None:
        raise ValueError(f"indicator {indicator.code}: no appraisal rule {indicator.rule!r}")
    measure = rule.measure(result.unit, period, indicator.params or {})
    method = (
        Method.VETO if indicator.kind == IndicatorKind.VETO else indicator.method or rule.method
    )
    points, explanation = points_for(indicator.points, measure, method, indicator.params or {})
    score.counted = measure.counted
    score.base = measure.base
    score.computed_points = points
    score.explanation = explanation[:300]
    score.summary = measure.summary[:300]
    score.records_url = measure.records_url[:500]
    score.vetoes = method == Method.VETO and measure.failed > 0
    score.save()
    score.evidence.all().delete()
    ScoreEvidence.objects.bulk_create(
        ScoreEvidence(
            score=score,
            position=position,
            label=evidence.label[:300],
            note=evidence.note[:300],
            url=evidence.url[:300],
        )
        for position, evidence in enumerate(measure.failures[:EVIDENCE_LIMIT], start=1)
    )


def sum_scores(result: AppraisalResult) -> None:
    """Sum the scores into the result: computed total, total after reviewers' adjustments
    and the veto cap, and the grade."""
    scheme = result.round.scheme
    sums = IndicatorScore.objects.filter(result=result).aggregate(
        computed=Sum("computed_points"),
        adjusted=Sum("adjusted_points", filter=Q(adjusted_points__isnull=False)),
        unadjusted=Sum("computed_points", filter=Q(adjusted_points__isnull=True)),
    )
    result.vetoed = IndicatorScore.objects.filter(result=result, vetoes=True).exists()
    result.computed_total = sums["computed"] or Decimal(0)
    total = (sums["adjusted"] or Decimal(0)) + (sums["unadjusted"] or Decimal(0))
    if result.vetoed:
        total = min(total, scheme.veto_cap)
    result.total = total
    result.grade = scheme.grade_for(total, result.vetoed)
