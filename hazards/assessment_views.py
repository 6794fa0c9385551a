"""The hazards ledger's pages about self-assessments: raising a failed item as a hazard
(the button on the assessment page posts here) and the list of enterprises whose high
self-assessment score does not match the hazards found there."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from enterprises.models import Enterprise
from enterprises.permissions import Action, get_assessment_answer_for_user, require
from hazards.assessment_forms import RaiseHazardForm
from hazards.assessment_selectors import high_score_with_hazards
from hazards.assessment_services import raise_hazard_from_assessment_answer
from safetyportal.core.pagination import paginate


@require_POST
def raise_from_assessment(request, answer_pk: int):
    """Turn one failed self-assessment item into a hazard in the ledger; back to the
    assessment page with the outcome."""
    answer = get_assessment_answer_for_user(request.user, answer_pk)
    require(request.user, Action.RAISE_HAZARD, answer.assessment)
    back = redirect("enterprises:assessment_detail", pk=answer.assessment_id)
    form = RaiseHazardForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return back
    try:
        hazard = raise_hazard_from_assessment_answer(
            actor=request.user, answer_id=answer.pk, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back
    messages.success(request, gettext("已登记隐患：%(hazard)s。") % {"hazard": hazard})
    return back


@require_GET
def assessment_flags(request):
    """Enterprises whose self-assessment scores high while hazards keep being found."""
    require(request.user, Action.FOLLOW_UP)
    base = Enterprise.objects.visible_to(request.user).with_list_relations()
    flagged = high_score_with_hazards(base, today=timezone.localdate())
    return render(
        request,
        "hazards/assessment_flags.html",
        {
            "page": paginate(request, flagged),
            "min_total": settings.SELF_ASSESSMENT_FLAG_MIN_TOTAL,
            "min_hazards": settings.SELF_ASSESSMENT_FLAG_MIN_HAZARDS,
            "window_days": settings.SELF_ASSESSMENT_FLAG_WINDOW_DAYS,
        },
    )
