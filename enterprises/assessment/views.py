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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from enterprises.assessment import services
from enterprises.assessment.forms import AnswersInput, ReviewInput
from enterprises.assessment.models import (
    AssessmentPeriod,
    AssessmentStatus,
    SelfAssessment,
    applicable_share,
    area_profile,
    too_few_applicable,
)
from enterprises.assessment.selectors import enterprises_not_submitted
from enterprises.assessment.workflow import ASSESSMENT_WORKFLOW
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
from safetyportal.workflow.html import step_view


def _assessments(request):
    qs = SelfAssessment.objects.visible_to(request.user).with_list_relations()
    status = request.GET.get("status", "")
    if status in AssessmentStatus.values:
        qs = qs.filter(status=status)
    return status, qs


def assessment_rows(request):
    """The list's rows (its export's)."""
    return _assessments(request)[1]


@require_GET
def assessment_list(request):
    user = request.user
    status, qs = _assessments(request)
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
    """Why a submitted assessment's grade is capped at 不合格, or ""."""
    if assessment.total is None or not too_few_applicable(answers):
        return ""
    return gettext(
        "适用项目的标准分只占自评表总分的%(share)s%%，低于%(minimum)s%%，"
        "因此等级为不合格。请核实标为“不适用”的项目。"
    ) % {
        "share": round(applicable_share(answers) * 100),
        "minimum": round(Decimal(str(settings.ASSESSMENT_MIN_APPLICABLE_SHARE)) * 100),
    }


def _step_buttons(user, assessment, form_class) -> list[dict]:
    """The workflow steps `user` may take now whose input is `form_class` (the page's fill
    form or its review form), as buttons posting to the step's URL."""
    return [
        {
            "name": step.name,
            "label": step.label_for(assessment),
            "style": step.style,
            "url": reverse("enterprises:assessment_step", args=[assessment.pk, step.name]),
        }
        for step in ASSESSMENT_WORKFLOW.available(user, assessment)
        if step.form is form_class
    ]


def _detail_context(request, assessment, bound=None) -> dict:
    answers = list(assessment.answers.prefetch_related("evidence"))
    user = request.user
    fill_steps = _step_buttons(user, assessment, AnswersInput)
    review_steps = _step_buttons(user, assessment, ReviewInput)
    return {
        "assessment": assessment,
        "answers": answers,
        "applicable_warning": _applicable_warning(assessment, answers),
        "profile": area_profile(answers),
        "fill_steps": fill_steps,
        "review_steps": review_steps,
        "can_fill": bool(fill_steps),
        "can_review": bool(review_steps),
        "can_raise_hazards": assessment.status
        in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
        and may(user, Action.RAISE_HAZARD, assessment),
        "default_deadline": timezone.localdate() + datetime.timedelta(days=30),
        "step_errors": [m for form in (bound or {}).values() for m in _form_messages(form)],
    }


def _form_messages(form) -> list[str]:
    return [m for errors in form.errors.values() for m in errors]


def _render_detail(request, pk, *, bound=None, status: int = 200):
    assessment = get_assessment_for_user(request.user, pk)
    return render(
        request,
        "enterprises/assessment_detail.html",
        _detail_context(request, assessment, bound),
        status=status,
    )


@require_GET
def assessment_detail(request, pk: int):
    return _render_detail(request, pk)


def _error_messages(request, messages_: list[str]) -> None:
    for message in messages_:
        messages.error(request, message)


@require_POST
def assessment_step(request, pk: int, step: str):
    """One step of the self-assessment workflow (save, submit, accept, return), through
    the kit's one view helper: 404 door, 403 rule, 400 input, 409 state, then the service."""
    return step_view(
        request,
        ASSESSMENT_WORKFLOW,
        pk,
        step,
        render_detail=_render_detail,
        success_url=lambda assessment: reverse(
            "enterprises:assessment_detail", args=[assessment.pk]
        ),
    )


@require_GET
def evidence_download(request, pk: int, evidence_pk: int):
    item = get_answer_evidence_for_user(request.user, evidence_pk, assessment_id=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


def _missing(request):
    require(request.user, Action.FOLLOW_UP)
    year = timezone.localdate().year
    period = AssessmentPeriod.objects.filter(year=year).first() or AssessmentPeriod(
        year=year, due_on=AssessmentPeriod.default_due_on(year)
    )
    base = Enterprise.objects.visible_to(request.user).with_list_relations()
    filterset = EnterpriseFilter(request.GET, queryset=base)
    return period, filterset, enterprises_not_submitted(filterset.qs, period=period)


def missing_rows(request):
    """This year's period and the list's rows (its export's)."""
    period, _filterset, pending = _missing(request)
    return period, pending


@require_GET
def assessment_missing(request):
    """Operating enterprises in the user's jurisdiction that have not submitted this year."""
    period, filterset, pending = _missing(request)
    return render(
        request,
        "enterprises/assessment_missing.html",
        {"period": period, "filter": filterset, "page": paginate(request, pending)},
    )
