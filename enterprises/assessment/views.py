"""Self-assessment pages: the list, start, fill and submit, review, evidence download,
and the list of enterprises that have not submitted."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from enterprises.assessment import services
from enterprises.assessment.forms import AnswerFormSet, RaiseHazardForm, ReviewFormSet
from enterprises.assessment.models import (
    AssessmentPeriod,
    AssessmentStatus,
    SelfAssessment,
    applicable_share,
    area_profile,
    too_few_applicable,
)
from enterprises.assessment.selectors import enterprises_not_submitted, high_score_with_hazards
from enterprises.permissions import (
    Action,
    get_answer_evidence_for_user,
    get_assessment_for_user,
    may,
    require,
)
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.models import Enterprise
from safetyportal.core.pagination import paginate


@require_GET
def assessment_list(request):
    user = request.user
    qs = SelfAssessment.objects.visible_to(user).with_list_relations()
    status = request.GET.get("status", "")
    if status in AssessmentStatus.values:
        qs = qs.filter(status=status)
    context = {
        "page": paginate(request, qs),
        "status": status,
        "statuses": AssessmentStatus.choices,
        "can_start": may(user, Action.START_ASSESSMENT),
        "can_follow_up": may(user, Action.FOLLOW_UP),
        "year": timezone.localdate().year,
    }
    return render(request, "enterprises/assessment_list.html", context)


@require_POST
def assessment_start(request):
    user = request.user
    require(user, Action.START_ASSESSMENT)
    period = services.ensure_period(year=timezone.localdate().year)
    try:
        assessment = services.start_assessment(
            actor=user, enterprise=user.enterprise, period=period
        )
    except ValidationError as error:
        messages.error(request, pgettext("list separator", "；").join(error.messages))
        return redirect("enterprises:assessment_list")
    return redirect("enterprises:assessment_detail", pk=assessment.pk)


def _applicable_warning(assessment, answers) -> str:
    """Why a submitted assessment's grade is capped at 不达标, or ""."""
    if assessment.total is None or not too_few_applicable(answers):
        return ""
    return gettext(
        "适用项目的标准分只占自评表总分的%(share)s%%，低于%(minimum)s%%，"
        "因此等级不高于不达标。请核实标为“不适用”的项目。"
    ) % {
        "share": round(applicable_share(answers) * 100),
        "minimum": round(Decimal(str(settings.ASSESSMENT_MIN_APPLICABLE_SHARE)) * 100),
    }


def _detail_context(request, assessment) -> dict:
    answers = list(assessment.answers.prefetch_related("evidence"))
    user = request.user
    return {
        "assessment": assessment,
        "answers": answers,
        "applicable_warning": _applicable_warning(assessment, answers),
        "profile": area_profile(answers),
        "can_fill": assessment.is_editable and may(user, Action.FILL_ASSESSMENT, assessment),
        "can_review": assessment.status == AssessmentStatus.SUBMITTED
        and may(user, Action.REVIEW_ASSESSMENT, assessment),
        "can_raise_hazards": assessment.status
        in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
        and may(user, Action.RAISE_HAZARD, assessment),
        "default_deadline": timezone.localdate() + datetime.timedelta(days=30),
    }


@require_GET
def assessment_detail(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk)
    return render(
        request, "enterprises/assessment_detail.html", _detail_context(request, assessment)
    )


def _error_messages(request, messages_: list[str]) -> None:
    for message in messages_:
        messages.error(request, message)


@require_POST
def assessment_save(request, pk: int):
    """Save the draft (action=save) or save and submit (action=submit): one form per
    answer (AnswerFormSet), then the service."""
    assessment = get_assessment_for_user(request.user, pk)
    require(request.user, Action.FILL_ASSESSMENT, assessment)
    formset = AnswerFormSet(request.POST, request.FILES, answers=assessment.answers.all())
    submit = request.POST.get("action") == "submit"
    if not formset.is_valid():
        _error_messages(request, formset.messages())
        return redirect("enterprises:assessment_detail", pk=pk)
    try:
        services.save_answers(
            actor=request.user,
            assessment=assessment,
            answers=formset.changes(),
            evidence=formset.evidence(),
            submit=submit,
        )
    except ValidationError as error:
        _error_messages(request, error.messages)
        return redirect("enterprises:assessment_detail", pk=pk)
    messages.success(
        request, gettext("自评已提交，等待审核。") if submit else gettext("草稿已保存。")
    )
    return redirect("enterprises:assessment_detail", pk=pk)


@require_POST
def assessment_review(request, pk: int):
    """Accept (decision=accept) or return, with the reviewer's adjustments (ReviewFormSet)."""
    assessment = get_assessment_for_user(request.user, pk)
    require(request.user, Action.REVIEW_ASSESSMENT, assessment)
    formset = ReviewFormSet(request.POST, answers=assessment.answers.all())
    accept = request.POST.get("decision") == "accept"
    if not formset.is_valid():
        _error_messages(request, formset.messages())
        return redirect("enterprises:assessment_detail", pk=pk)
    try:
        services.review_assessment(
            actor=request.user,
            assessment=assessment,
            adjustments=formset.adjustments(),
            accept=accept,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        _error_messages(request, error.messages)
        return redirect("enterprises:assessment_detail", pk=pk)
    messages.success(request, gettext("已审核通过。") if accept else gettext("已退回企业修改。"))
    return redirect("enterprises:assessment_detail", pk=pk)


@require_POST
def assessment_raise_hazard(request, pk: int, answer_pk: int):
    """Turn one failed item into a hazard in the ledger (hazards.services.report_hazard)."""
    assessment = get_assessment_for_user(request.user, pk)
    require(request.user, Action.RAISE_HAZARD, assessment)
    form = RaiseHazardForm(request.POST)
    if not form.is_valid():
        _error_messages(request, [m for ms in form.errors.values() for m in ms])
        return redirect("enterprises:assessment_detail", pk=pk)
    try:
        hazard = services.raise_hazard_from_answer(
            actor=request.user,
            assessment=assessment,
            answer_id=answer_pk,
            deadline=form.cleaned_data["deadline"],
        )
    except ValidationError as error:
        _error_messages(request, error.messages)
        return redirect("enterprises:assessment_detail", pk=pk)
    messages.success(request, gettext("已登记隐患：%(hazard)s。") % {"hazard": hazard})
    return redirect("enterprises:assessment_detail", pk=pk)


@require_GET
def evidence_download(request, pk: int, evidence_pk: int):
    item = get_answer_evidence_for_user(request.user, evidence_pk, assessment_id=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


@require_GET
def assessment_missing(request):
    """Operating enterprises in the user's jurisdiction that have not submitted this year."""
    require(request.user, Action.FOLLOW_UP)
    year = timezone.localdate().year
    period = AssessmentPeriod.objects.filter(year=year).first() or AssessmentPeriod(
        year=year, due_on=AssessmentPeriod.default_due_on(year)
    )
    base = Enterprise.objects.visible_to(request.user).with_list_relations()
    filterset = EnterpriseFilter(request.GET, queryset=base)
    pending = enterprises_not_submitted(filterset.qs, period=period)
    return render(
        request,
        "enterprises/assessment_missing.html",
        {"period": period, "filter": filterset, "page": paginate(request, pending)},
    )


@require_GET
def assessment_flags(request):
    """Enterprises whose self-assessment scores high while hazards keep being found."""
    require(request.user, Action.FOLLOW_UP)
    base = Enterprise.objects.visible_to(request.user).with_list_relations()
    flagged = high_score_with_hazards(base, today=timezone.localdate())
    return render(
        request,
        "enterprises/assessment_flags.html",
        {
            "page": paginate(request, flagged),
            "min_total": settings.SELF_ASSESSMENT_FLAG_MIN_TOTAL,
            "min_hazards": settings.SELF_ASSESSMENT_FLAG_MIN_HAZARDS,
            "window_days": settings.SELF_ASSESSMENT_FLAG_WINDOW_DAYS,
        },
    )
