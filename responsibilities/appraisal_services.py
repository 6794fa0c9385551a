"""Writes on the year-end appraisal: keyword-only, atomic, one audit event each (ADR 0039).

The computation (`compute_result`) runs in a Celery task per unit
(responsibilities/tasks.py): it scores one indicator at a time in its own short
transaction, writes the progress after each, and finishes by moving the result from
`computing` to `draft`. It uses no clock except for `computed_at`: the rules read records
dated on or before the round's snapshot date, so a recomputation on the same data stores
the same scores and evidence. A worker that dies mid-run leaves the result `computing`;
the periodic `resume_appraisal_computations` sends it again, and computing twice is safe.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from responsibilities import appraisal_compute
from responsibilities.appraisal_compute import lock_result, sum_scores
from responsibilities.appraisal_models import (
    AppraisalIndicator,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    IndicatorKind,
    IndicatorScore,
    ResultStatus,
    RoundStatus,
)
from responsibilities.appraisal_rules import get_rule
from responsibilities.models import CommitteeMembership, Organisation, OrganisationKind
from responsibilities.permissions import appraisal_refusal
from safetyportal.audit.services import record_event
from safetyportal.core.queue import enqueue_on_commit, keep_for_retry
from safetyportal.notifications.services import notify_many
from safetyportal.workflow.errors import StepForbidden

# the computation lives in appraisal_compute (the task imports it; no import cycle); these
# names stay here for the callers that compute through the services
compute_result = appraisal_compute.compute_result
applicable_indicators = appraisal_compute.applicable_indicators

APPRAISED_KINDS = (
    OrganisationKind.TOWN,
    OrganisationKind.SUBDISTRICT,
    OrganisationKind.DEPARTMENT,
    OrganisationKind.COMMITTEE,
)


def _require(user, result, action: str) -> None:
    reason = appraisal_refusal(user, result, action)
    if reason:
        raise StepForbidden(reason)


_lock = lock_result


# --- the scheme ----------------------------------------------------------------------------


def save_scheme(
    *,
    actor,
    year: int,
    title: str,
    document_number: str = "",
    excellent_from: Decimal = Decimal(90),
    pass_from: Decimal = Decimal(70),
    veto_cap: Decimal = Decimal(60),
    scheme: AppraisalScheme | None = None,
) -> AppraisalScheme:
    _require(actor, None, "manage")
    errors = {}
    if not title.strip():
        errors["title"] = _("请填写方案名称。")
    if not (Decimal(0) <= pass_from <= excellent_from <= Decimal(100)):
        errors["excellent_from"] = _("分数线须满足 0 ≤ 合格分数线 ≤ 优秀分数线 ≤ 100。")
    if veto_cap < 0 or veto_cap >= pass_from:
        errors["veto_cap"] = _("一票否决封顶分须低于合格分数线。")
    if scheme is None and AppraisalScheme.objects.filter(year=year).exists():
        errors["year"] = _("%(year)s年度的考核方案已存在。") % {"year": year}
    if scheme is not None and hasattr(scheme, "round"):
        errors["year"] = _("该年度考核已启动，方案不能再修改。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scheme = scheme or AppraisalScheme(year=year)
        scheme.title = title.strip()
        scheme.document_number = document_number.strip()
        scheme.excellent_from = excellent_from
        scheme.pass_from = pass_from
        scheme.veto_cap = veto_cap
        scheme.save()
        record_event(
            actor=actor, verb="appraisal_scheme.saved", target=scheme, payload={"year": year}
        )
    return scheme


def copy_scheme(*, actor, source: AppraisalScheme, year: int) -> AppraisalScheme:
    """A new year's scheme starts as a copy of an earlier one, indicators included."""
    _require(actor, None, "manage")
    if AppraisalScheme.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s年度的考核方案已存在。") % {"year": year}})
    with transaction.atomic():
        scheme = AppraisalScheme.objects.create(
            year=year,
            title=source.title.replace(str(source.year), str(year)),
            excellent_from=source.excellent_from,
            pass_from=source.pass_from,
            veto_cap=source.veto_cap,
        )
        indicators = list(source.indicators.all())
        for indicator in indicators:
            indicator.pk = None
            indicator.scheme = scheme
        AppraisalIndicator.objects.bulk_create(indicators)
        record_event(
            actor=actor,
            verb="appraisal_scheme.saved",
            target=scheme,
            payload={"year": year, "copied_from": source.year},
        )
    return scheme


def save_indicator(
    *, actor, scheme: AppraisalScheme, values: dict, indicator: AppraisalIndicator | None = None
) -> AppraisalIndicator:
    """Add or edit an indicator. `values` holds the form's cleaned data (code, name, kind,
    rule, method, points, params, for_towns, for_departments, for_committees,
    description, sort_order)."""
    _require(actor, None, "manage")
    errors = {}
    if hasattr(scheme, "round"):
        errors["__all__"] = _("该年度考核已启动，指标不能再修改。")
    kind = values.get("kind")
    rule = get_rule(values.get("rule") or "")
    if kind in (IndicatorKind.COMPUTED, IndicatorKind.VETO) and rule is None:
        errors["rule"] = _("请选择计分规则：数据计分和一票否决指标须从台账计算。")
    if kind == IndicatorKind.MANUAL and values.get("rule"):
        errors["rule"] = _("评议计分指标由评审人员打分，不能选择计分规则。")
    if kind == IndicatorKind.VETO and values.get("points"):
        errors["points"] = _("一票否决指标不计分，分值应为 0。")
    if kind != IndicatorKind.VETO and not values.get("points"):
        errors["points"] = _("请填写分值。")
    if not (
        values.get("for_towns") or values.get("for_departments") or values.get("for_committees")
    ):
        errors["for_towns"] = _("请至少选择一类适用单位。")
    duplicate = scheme.indicators.filter(code=values.get("code"))
    if indicator is not None:
        duplicate = duplicate.exclude(pk=indicator.pk)
    if duplicate.exists():
        errors["code"] = _("本方案已有编号为 %(code)s 的指标。") % {"code": values.get("code")}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        indicator = indicator or AppraisalIndicator(scheme=scheme)
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.rule = indicator.rule if kind != IndicatorKind.MANUAL else ""
        indicator.full_clean()
        indicator.save()
        record_event(
            actor=actor,
            verb="appraisal_indicator.saved",
            target=indicator,
            payload={"scheme": scheme.year, "code": indicator.code, "points": indicator.points},
        )
    return indicator


# --- the round -----------------------------------------------------------------------------


def appraiser_for(unit: Organisation, county: Organisation) -> Organisation:
    """Who appraises `unit`: a department is appraised by the first (by order) committee it
    is an ordinary member of; towns, committees, and a department that belongs to no
    committee or leads every committee it is in, by the county's 安委会 (`county`): a
    committee's lead unit reviews the committee's members, so it must not review itself."""
    if unit.kind == OrganisationKind.DEPARTMENT:
        membership = (
            CommitteeMembership.objects.filter(member=unit, is_lead=False)
            .select_related("committee")
            .order_by("committee__sort_order", "committee__code")
            .first()
        )
        if membership is not None:
            return membership.committee
    return county


def _county_committee() -> Organisation:
    county = (
        Organisation.objects.filter(kind=OrganisationKind.SAFETY_COMMITTEE).order_by("pk").first()
    )
    if county is None:
        raise ValidationError(_("组织机构中没有县安委会，无法确定考核单位。请先维护组织机构。"))
    return county


def open_round(*, actor, scheme: AppraisalScheme, snapshot_date: datetime.date) -> AppraisalRound:
    """Open the year's round: one result per active town, department and committee, each
    computed by its own task."""
    _require(actor, None, "manage")
    errors = {}
    if hasattr(scheme, "round"):
        errors["__all__"] = _("%(year)s年度考核已经启动。") % {"year": scheme.year}
    elif not scheme.indicators.exists():
        errors["__all__"] = _("考核方案还没有指标，请先添加指标。")
    if snapshot_date < datetime.date(scheme.year, 1, 1):
        errors["snapshot_date"] = _("数据截止日期不能早于考核年度。")
    if errors:
        raise ValidationError(errors)
    county = _county_committee()
    with transaction.atomic():
        round_ = AppraisalRound.objects.create(
            scheme=scheme, year=scheme.year, snapshot_date=snapshot_date, opened_by=actor
        )
        units = Organisation.objects.active().filter(kind__in=APPRAISED_KINDS).order_by("pk")
        results = AppraisalResult.objects.bulk_create(
            AppraisalResult(
                round=round_,
                unit=unit,
                appraiser=appraiser_for(unit, county),
                snapshot_date=snapshot_date,
            )
            for unit in units
        )
        record_event(
            actor=actor,
            verb="appraisal_round.opened",
            target=round_,
            payload={"year": scheme.year, "snapshot": snapshot_date, "units": len(results)},
        )
        for result in results:
            _enqueue(result.pk)
    return round_


def _enqueue(result_id: int) -> None:
    from responsibilities.tasks import compute_appraisal_result

    # an unreachable broker leaves the result `computing`: resume_appraisal_computations
    # sends it again
    enqueue_on_commit(compute_appraisal_result, result_id, on_unreachable=keep_for_retry)


def resume_computations() -> int:
    """Send again every result still `computing` (a worker died, the broker was down)."""
    from responsibilities.tasks import resume_appraisal_computations

    return resume_appraisal_computations()


def recompute(*, actor, result_id: int) -> AppraisalResult:
    """Compute a result again (after a ledger was corrected); reviewers' adjustments and
    manual scores are kept."""
    with transaction.atomic():
        result = _lock(result_id)
        _require(actor, result, "recompute")
        result._move("recompute")
        result.progress = 0
        result.save(update_fields=["status", "progress"])
        record_event(actor=actor, verb="appraisal_result.recompute", target=result)
        _enqueue(result.pk)
    return result


def recompute_round(*, actor, round_: AppraisalRound) -> int:
    _require(actor, None, "recompute")
    with transaction.atomic():
        ids = list(
            AppraisalResult.objects.select_for_update()
            .filter(round=round_, status__in=(ResultStatus.DRAFT, ResultStatus.COMMENTED))
            .values_list("pk", flat=True)
        )
        AppraisalResult.objects.filter(pk__in=ids).update(status=ResultStatus.COMPUTING, progress=0)
        record_event(
            actor=actor,
            verb="appraisal_result.recompute",
            target=round_,
            payload={"results": len(ids)},
        )
        for result_id in ids:
            _enqueue(result_id)
    return len(ids)


# --- the steps of a result -------------------------------------------------------------------


def comment(*, actor, result_id: int, self_report: str) -> AppraisalResult:
    """The unit's self-report on its computed draft."""
    if not self_report.strip():
        raise ValidationError({"self_report": _("请填写自评意见。")})
    with transaction.atomic():
        result = _lock(result_id)
        _require(actor, result, "comment")
        result._move("comment")
        result.self_report = self_report.strip()
        result.commented_by = actor
        result.commented_at = timezone.now()
        result.save(update_fields=["status", "self_report", "commented_by", "commented_at"])
        record_event(actor=actor, verb="appraisal_result.commented", target=result)
    return result


def adjust_score(*, actor, score: IndicatorScore, points, reason: str) -> IndicatorScore:
    """A reviewer sets an indicator's points (a manual indicator's score, or an adjustment
    of a computed one) with the reason; `points` None removes an adjustment."""
    result = score.result
    _require(actor, result, "adjust")
    errors = {}
    if points is not None:
        try:
            points = Decimal(str(points)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["points"] = _("得分须是数字。")
        else:
            if not (Decimal(0) <= points <= score.indicator.points):
                errors["points"] = _("得分须在 0 到 %(max)s 分之间。") % {
                    "max": score.indicator.points
                }
    if score.indicator.kind == IndicatorKind.VETO and points is not None:
        errors["points"] = _("一票否决指标不计分，不能调整得分。")
    if not reason.strip():
        errors["reason"] = _("请填写调整理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        result = _lock(result.pk)
        result._move("adjust")
        score = (
            IndicatorScore.objects.select_for_update().select_related("indicator").get(pk=score.pk)
        )
        old = score.adjusted_points
        score.adjusted_points = points
        score.adjustment_reason = reason.strip()
        score.adjusted_by = actor
        score.adjusted_at = timezone.now()
        score.save(
            update_fields=["adjusted_points", "adjustment_reason", "adjusted_by", "adjusted_at"]
        )
        sum_scores(result)
        result.save(update_fields=["total", "grade", "vetoed", "computed_total"])
        record_event(
            actor=actor,
            verb="appraisal_score.adjusted",
            target=result,
            payload={
                "indicator": score.indicator.code,
                "computed": score.computed_points,
                "old": old,
                "new": points,
                "reason": score.adjustment_reason,
            },
        )
    return score


def submit_review(*, actor, result_id: int, review_note: str = "") -> AppraisalResult:
    """The reviewer's opinion; every manual indicator must have its points first."""
    with transaction.atomic():
        result = _lock(result_id)
        _require(actor, result, "submit")
        result._move("submit")
        unscored = list(
            IndicatorScore.objects.filter(
                result=result, indicator__kind=IndicatorKind.MANUAL, adjusted_points__isnull=True
            ).values_list("indicator__name", flat=True)
        )
        if unscored:
            raise ValidationError(
                _("以下评议计分指标尚未打分：%(names)s。") % {"names": "、".join(unscored)}
            )
        result.status = ResultStatus.REVIEWED
        result.review_note = review_note.strip()
        result.reviewed_by = actor
        result.reviewed_at = timezone.now()
        result.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        record_event(
            actor=actor,
            verb="appraisal_result.reviewed",
            target=result,
            payload={"total": result.total, "grade": result.grade},
        )
    return result


def approve(*, actor, result_id: int, note: str = "") -> AppraisalResult:
    with transaction.atomic():
        result = _lock(result_id)
        _require(actor, result, "approve")
        result._move("approve")
        result.approval_note = note.strip()
        result.approved_by = actor
        result.approved_at = timezone.now()
        result.save(update_fields=["status", "approval_note", "approved_by", "approved_at"])
        record_event(
            actor=actor,
            verb="appraisal_result.approved",
            target=result,
            payload={"total": result.total, "grade": result.grade},
        )
    return result


def send_back(*, actor, result_id: int, note: str) -> AppraisalResult:
    if not note.strip():
        raise ValidationError({"note": _("请填写退回理由。")})
    with transaction.atomic():
        result = _lock(result_id)
        _require(actor, result, "send_back")
        result._move("send_back")
        result.approval_note = note.strip()
        result.save(update_fields=["status", "approval_note"])
        record_event(
            actor=actor,
            verb="appraisal_result.sent_back",
            target=result,
            payload={"reason": result.approval_note},
        )
    return result


def publish_round(*, actor, round_: AppraisalRound) -> int:
    """Publish every result of the round to its unit: allowed once all are approved."""
    _require(actor, None, "publish")
    with transaction.atomic():
        round_ = AppraisalRound.objects.select_for_update().get(pk=round_.pk)
        if round_.status == RoundStatus.PUBLISHED:
            raise ValidationError(_("本年度考核结果已经公布。"))
        waiting = round_.results.exclude(status=ResultStatus.APPROVED).count()
        if waiting:
            raise ValidationError(
                _("还有 %(count)s 个单位的考核结果未审定，全部审定后才能公布。")
                % {"count": waiting}
            )
        now = timezone.now()
        published = round_.results.update(status=ResultStatus.PUBLISHED, published_at=now)
        round_.status = RoundStatus.PUBLISHED
        round_.published_at = now
        round_.save(update_fields=["status", "published_at"])
        record_event(
            actor=actor,
            verb="appraisal_round.published",
            target=round_,
            payload={"results": published},
        )
        unit_ids = round_.results.values("unit_id")
        recipients = get_user_model().objects.filter(organisation_id__in=unit_ids, is_active=True)
        notify_many(
            recipients=recipients,
            title=_("%(year)s年度安全生产考核结果已公布") % {"year": round_.year},
            url=f"/responsibilities/appraisal/{round_.year}/",
            dedupe_key=f"appraisal-published:{round_.pk}",
        )
    return published
