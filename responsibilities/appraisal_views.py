"""The year-end appraisal pages (述职评议, issue 11 item 5): the index (rounds and schemes),
a scheme with its indicators, a round's results with their computing progress, a result
with its scores and evidence, the steps (through the workflow kit) and the reviewers'
adjustment of a score. Thin views: the door, a form, the service, a message."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from responsibilities import appraisal_forms, appraisal_services
from responsibilities.appraisal_models import (
    AppraisalIndicator,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    IndicatorKind,
    IndicatorScore,
    ResultStatus,
    ScoreEvidence,
)
from responsibilities.appraisal_rules import get_rule
from responsibilities.appraisal_workflow import APPRAISAL_WORKFLOW
from responsibilities.models import OrganisationKind
from responsibilities.permissions import appraisal_refusal, get_appraisal_result_for_user
from responsibilities.report_kinds import APPRAISAL_COUNTY, APPRAISAL_UNIT
from safetyportal.core.pagination import paginate
from safetyportal.core.reports import get_kind, request_stored_report
from safetyportal.workflow import StepNotAllowed
from safetyportal.workflow.html import add_errors, step_view

# evidence rows shown inline under a score; the rest on the score's evidence page
EVIDENCE_INLINE = 20

UNIT_TYPES = {
    "town": (OrganisationKind.TOWN, OrganisationKind.SUBDISTRICT),
    "department": (OrganisationKind.DEPARTMENT,),
    "committee": (OrganisationKind.COMMITTEE,),
}


class ResultFilter(django_filters.FilterSet):
    unit_type = django_filters.ChoiceFilter(
        label=_("单位类型"),
        choices=[
            ("town", _("镇街")),
            ("department", _("部门")),
            ("committee", _("专委会")),
        ],
        empty_label=_("全部单位"),
        method="filter_unit_type",
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ResultStatus.choices, empty_label=_("全部状态")
    )

    def filter_unit_type(self, queryset, name, value):
        return queryset.filter(unit__kind__in=UNIT_TYPES[value]) if value else queryset


def _require(user, action: str = "view", result=None) -> None:
    reason = appraisal_refusal(user, result, action)
    if reason:
        raise PermissionDenied(reason)


def _may(user, action: str, result=None) -> bool:
    return appraisal_refusal(user, result, action) is None


def _scheme(year: int) -> AppraisalScheme:
    return get_object_or_404(AppraisalScheme.objects.select_related("round"), year=year)


def _has_round(scheme: AppraisalScheme) -> bool:
    return AppraisalRound.objects.filter(scheme=scheme).exists()


# --- the index -------------------------------------------------------------------------------


def _index(request, *, scheme_form=None, status: int = 200):
    _require(request.user)
    schemes = list(
        AppraisalScheme.objects.select_related("round").annotate(
            indicator_count=Count("indicators")
        )
    )
    rounds = AppraisalRound.objects.select_related("scheme").annotate(
        result_count=Count("results"),
        computing=Count("results", filter=Q(results__status=ResultStatus.COMPUTING)),
        approved=Count(
            "results",
            filter=Q(results__status__in=(ResultStatus.APPROVED, ResultStatus.PUBLISHED)),
        ),
    )
    own = {}
    if request.user.organisation_id:
        own = {
            result.round_id: result
            for result in AppraisalResult.objects.visible_to(request.user).filter(
                unit_id=request.user.organisation_id
            )
        }
    rounds = list(rounds)
    for round_ in rounds:
        round_.own_result = own.get(round_.pk)
    latest = schemes[0] if schemes else None
    can_manage = _may(request.user, "manage")
    context = {
        "schemes": schemes,
        "rounds": rounds,
        "can_manage": can_manage,
        "scheme_form": scheme_form or appraisal_forms.SchemeForm(),
        "latest": latest,
        "copy_form": appraisal_forms.CopySchemeForm(
            initial={"year": latest.year + 1} if latest else {}
        ),
    }
    return render(request, "responsibilities/appraisal/index.html", context, status=status)


@require_GET
def appraisal_index(request):
    return _index(request)


@require_POST
def scheme_create(request):
    _require(request.user, "manage")
    form = appraisal_forms.SchemeForm(request.POST)
    if form.is_valid():
        try:
            scheme = appraisal_services.save_scheme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("考核方案已创建，请添加考核指标。"))
            return redirect("responsibilities:appraisal_scheme", year=scheme.year)
    messages.error(request, gettext("提交的信息有误，请按提示修改后重新提交。"))
    return _index(request, scheme_form=form, status=400)


@require_POST
def scheme_copy(request, year: int):
    _require(request.user, "manage")
    source = _scheme(year)
    form = appraisal_forms.CopySchemeForm(request.POST)
    if form.is_valid():
        try:
            scheme = appraisal_services.copy_scheme(
                actor=request.user, source=source, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("已复制%(source)s年度方案为%(year)s年度方案。")
                % {"source": source.year, "year": scheme.year},
            )
            return redirect("responsibilities:appraisal_scheme", year=scheme.year)
    messages.error(request, _join(_messages(form)))
    return redirect("responsibilities:appraisal_scheme", year=year)


def _join(errors) -> str:
    return pgettext("list separator", "；").join(str(error) for error in errors)


def _messages(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


# --- a scheme ----------------------------------------------------------------------------------


def _scheme_page(request, year: int, *, open_form=None, status: int = 200):
    _require(request.user)
    scheme = _scheme(year)
    indicators = list(scheme.indicators.order_by("sort_order", "code"))
    totals = {"town": 0, "department": 0, "committee": 0}
    for indicator in indicators:
        indicator.rule_info = get_rule(indicator.rule) if indicator.rule else None
        if indicator.kind == IndicatorKind.VETO:
            continue
        for key, flag in (
            ("town", indicator.for_towns),
            ("department", indicator.for_departments),
            ("committee", indicator.for_committees),
        ):
            if flag:
                totals[key] += indicator.points
    has_round = _has_round(scheme)
    can_manage = _may(request.user, "manage")
    context = {
        "scheme": scheme,
        "indicators": indicators,
        "totals": totals,
        "has_round": has_round,
        "can_edit": can_manage and not has_round,
        "can_manage": can_manage,
        "open_form": open_form or appraisal_forms.OpenRoundForm(year=scheme.year),
        "copy_form": appraisal_forms.CopySchemeForm(initial={"year": scheme.year + 1}),
    }
    return render(request, "responsibilities/appraisal/scheme.html", context, status=status)


@require_GET
def scheme_detail(request, year: int):
    return _scheme_page(request, year)


@require_http_methods(["GET", "POST"])
def indicator_edit(request, year: int, pk: int | None = None):
    """Add (pk None) or edit an indicator while the year's round is not open."""
    _require(request.user, "manage")
    scheme = _scheme(year)
    indicator = get_object_or_404(AppraisalIndicator, scheme=scheme, pk=pk) if pk else None
    if _has_round(scheme):
        messages.error(request, gettext("该年度考核已启动，指标不能再修改。"))
        return redirect("responsibilities:appraisal_scheme", year=year)
    form = appraisal_forms.IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            appraisal_services.save_indicator(
                actor=request.user, scheme=scheme, values=values, indicator=indicator
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("考核指标已保存。"))
            return redirect("responsibilities:appraisal_scheme", year=year)
    if form.errors:
        messages.error(request, gettext("提交的信息有误，请按提示修改后重新提交。"))
    context = {"scheme": scheme, "form": form, "indicator": indicator}
    return render(
        request,
        "responsibilities/appraisal/indicator_form.html",
        context,
        status=400 if form.errors else 200,
    )


@require_POST
def round_open(request, year: int):
    _require(request.user, "manage")
    scheme = _scheme(year)
    form = appraisal_forms.OpenRoundForm(request.POST, year=year)
    if form.is_valid():
        try:
            appraisal_services.open_round(
                actor=request.user, scheme=scheme, snapshot_date=form.cleaned_data["snapshot_date"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("年度考核已启动，各单位得分正在计算。"))
            return redirect("responsibilities:appraisal_round", year=year)
    messages.error(request, gettext("提交的信息有误，请按提示修改后重新提交。"))
    return _scheme_page(request, year, open_form=form, status=400)


# --- a round -------------------------------------------------------------------------------------


def _round(year: int) -> AppraisalRound:
    return get_object_or_404(AppraisalRound.objects.select_related("scheme"), year=year)


def _progress(results) -> dict:
    """How far the computation of `results` (a visible queryset) has come, in one query."""
    figures = results.aggregate(
        total=Count("pk"),
        computing=Count("pk", filter=Q(status=ResultStatus.COMPUTING)),
        progress=Avg("progress", filter=Q(status=ResultStatus.COMPUTING)),
        failed=Count("pk", filter=Q(status=ResultStatus.COMPUTING) & ~Q(compute_error="")),
    )
    total, computing = figures["total"], figures["computing"]
    done = total - computing
    # each computing result counts for its share of progress
    share = (computing * (figures["progress"] or 0) / 100) if computing else 0
    figures["done"] = done
    figures["percent"] = int(100 * (done + share) / total) if total else 100
    return figures


@require_GET
def round_detail(request, year: int):
    _require(request.user)
    round_ = _round(year)
    visible = AppraisalResult.objects.visible_to(request.user).filter(round=round_)
    filterset = ResultFilter(request.GET, queryset=visible.with_list_relations())
    page = paginate(request, filterset.qs)
    context = {
        "round": round_,
        "filter": filterset,
        "page": page,
        "progress": _progress(visible),
        "can_manage": _may(request.user, "manage"),
        "can_report": get_kind(APPRAISAL_COUNTY).may_request(request.user),
    }
    template = "responsibilities/appraisal/round.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "result-table":
        template = "responsibilities/appraisal/_round_table.html"
    return render(request, template, context)


@require_GET
def round_progress(request, year: int):
    """The round's progress bar (polled every 2 s while something computes); when the
    computation has finished, an htmx poll reloads the page to show the scores."""
    _require(request.user)
    round_ = _round(year)
    visible = AppraisalResult.objects.visible_to(request.user).filter(round=round_)
    progress = _progress(visible)
    response = render(
        request,
        "responsibilities/appraisal/_round_progress.html",
        {"round": round_, "progress": progress},
    )
    if request.headers.get("HX-Request") and not progress["computing"]:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def round_recompute(request, year: int):
    _require(request.user, "recompute")
    round_ = _round(year)
    count = appraisal_services.recompute_round(actor=request.user, round_=round_)
    messages.success(request, gettext("已开始重新计算 %(count)s 个单位的得分。") % {"count": count})
    return redirect("responsibilities:appraisal_round", year=year)


@require_POST
def round_publish(request, year: int):
    _require(request.user, "publish")
    round_ = _round(year)
    try:
        count = appraisal_services.publish_round(actor=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, _join(error.messages))
        return redirect("responsibilities:appraisal_round", year=year)
    messages.success(request, gettext("已向 %(count)s 个单位公布考核结果。") % {"count": count})
    return redirect("responsibilities:appraisal_round", year=year)


def _request_report(request, *, kind: str, unit, year: int, back: str):
    """Ask the report service for the year's appraisal report; its page shows the progress
    and the download (a refusal comes back here as a message)."""
    try:
        report = request_stored_report(actor=request.user, kind=kind, unit=unit, year=year)
    except ValidationError as error:
        messages.error(request, _join(error.messages))
        return redirect(back)
    messages.success(request, gettext("考核报告已开始生成，本页会显示进度。"))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def round_report(request, year: int):
    """The county summary of the round (leaders and the county office)."""
    _require(request.user)
    round_ = _round(year)
    back = reverse("responsibilities:appraisal_round", args=[round_.year])
    return _request_report(request, kind=APPRAISAL_COUNTY, unit=None, year=round_.year, back=back)


# --- a result ------------------------------------------------------------------------------------


@require_POST
def result_report(request, pk: int):
    """The unit's appraisal report (leaders and the county office)."""
    result = get_appraisal_result_for_user(request.user, pk)
    back = reverse("responsibilities:appraisal_result", args=[result.pk])
    return _request_report(
        request, kind=APPRAISAL_UNIT, unit=result.unit, year=result.round.year, back=back
    )


def _scores(result: AppraisalResult):
    return (
        IndicatorScore.objects.filter(result=result)
        .select_related("indicator", "adjusted_by")
        .annotate(evidence_count=Count("evidence"))
        .prefetch_related(
            Prefetch(
                "evidence",
                ScoreEvidence.objects.filter(position__lte=EVIDENCE_INLINE).order_by("position"),
                to_attr="first_evidence",
            )
        )
        .order_by("indicator__sort_order", "indicator__code")
    )


def _step_url(result: AppraisalResult, step) -> str:
    return reverse("responsibilities:appraisal_result_step", args=[result.pk, step.name])


def _detail(request, pk, *, bound: dict | None = None, status: int = 200, adjust=None):
    result = get_appraisal_result_for_user(request.user, pk)
    steps = APPRAISAL_WORKFLOW.panel(request.user, result, url_for=_step_url, bound=bound)
    may_adjust = (
        appraisal_refusal(request.user, result, "adjust") is None
        and result.move_refusal("adjust") is None
    )
    scores = list(_scores(result)) if not result.is_computing else []
    for score in scores:
        score.rule_info = get_rule(score.indicator.rule) if score.indicator.rule else None
        score.pending = score.indicator.kind == IndicatorKind.MANUAL and score.points is None
        if may_adjust and score.indicator.kind != IndicatorKind.VETO:
            if adjust is not None and adjust[0] == score.pk:
                score.adjust_form = adjust[1]
            else:
                score.adjust_form = appraisal_forms.AdjustForm(
                    prefix=f"s{score.pk}",
                    initial={
                        "points": score.adjusted_points,
                        "reason": score.adjustment_reason,
                    },
                )
    vetoing = next((score for score in scores if score.vetoes), None)
    context = {
        "result": result,
        "steps": steps,
        "scores": scores,
        "vetoing": vetoing,
        "may_adjust": may_adjust,
        "evidence_inline": EVIDENCE_INLINE,
        "can_report": not result.is_computing
        and get_kind(APPRAISAL_UNIT).may_request(request.user, result.unit),
    }
    return render(request, "responsibilities/appraisal/result.html", context, status=status)


@require_GET
def result_detail(request, pk: int):
    return _detail(request, pk)


@require_GET
def result_progress(request, pk: int):
    result = get_appraisal_result_for_user(request.user, pk)
    response = render(
        request, "responsibilities/appraisal/_result_progress.html", {"result": result}
    )
    if request.headers.get("HX-Request") and not result.is_computing:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def result_step(request, pk: int, step: str):
    return step_view(
        request,
        APPRAISAL_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda result: reverse("responsibilities:appraisal_result", args=[result.pk]),
    )


def _score_for(result: AppraisalResult, score_pk) -> IndicatorScore:
    try:
        return IndicatorScore.objects.select_related("indicator", "result").get(
            result=result, pk=score_pk
        )
    except IndicatorScore.DoesNotExist:
        raise Http404 from None


@require_POST
def score_adjust(request, pk: int, score_pk: int) -> HttpResponse:
    """A reviewer sets an indicator's points with the reason (403 / 409 / 400 with the
    reason on the result page)."""
    result = get_appraisal_result_for_user(request.user, pk)
    score = _score_for(result, score_pk)
    reason = appraisal_refusal(request.user, result, "adjust")
    if reason:
        raise PermissionDenied(reason)
    form = appraisal_forms.AdjustForm(request.POST, prefix=f"s{score.pk}")
    if not form.is_valid():
        messages.error(request, _join(_messages(form)))
        return _detail(request, pk, status=400, adjust=(score.pk, form))
    try:
        appraisal_services.adjust_score(
            actor=request.user,
            score=score,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
        )
    except StepNotAllowed as error:
        messages.error(request, str(error))
        return _detail(request, pk, status=error.status_code)
    except ValidationError as error:
        add_errors(form, error)
        messages.error(request, _join(error.messages))
        return _detail(request, pk, status=400, adjust=(score.pk, form))
    messages.success(
        request,
        gettext("已保存“%(name)s”的评审得分。") % {"name": score.indicator.name},
    )
    return redirect(reverse("responsibilities:appraisal_result", args=[pk]) + f"#score-{score.pk}")


@require_GET
def score_evidence(request, pk: int, score_pk: int):
    """Every evidence row of one score, paginated."""
    result = get_appraisal_result_for_user(request.user, pk)
    score = _score_for(result, score_pk)
    page = paginate(request, ScoreEvidence.objects.filter(score=score).order_by("position"), 50)
    context = {"result": result, "score": score, "page": page}
    return render(request, "responsibilities/appraisal/evidence.html", context)
