"""The 约谈 pages: the list (status, overdue feedback), the draft form, the detail with its
steps (the workflow kit handles each step's POST)."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from responsibilities import interview_forms, interview_services
from responsibilities.interview_models import Interview, InterviewStatus
from responsibilities.interview_workflow import INTERVIEW_WORKFLOW
from responsibilities.permissions import (
    get_interview_for_user,
    interview_refusal,
    may_list_interviews,
)
from safetyportal.core.filters import AllYesNoWidget
from safetyportal.core.pagination import paginate
from safetyportal.workflow import StepNotAllowed
from safetyportal.workflow.html import add_errors, step_view


class InterviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=InterviewStatus.choices, empty_label=_("全部状态")
    )
    overdue = django_filters.BooleanFilter(
        label=_("反馈逾期"), method="filter_overdue", widget=AllYesNoWidget
    )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Interview.objects.feedback_overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


def _require_list(user) -> None:
    if not may_list_interviews(user):
        raise PermissionDenied(gettext("约谈记录仅对机关用户开放。"))


@require_GET
def interview_list(request):
    _require_list(request.user)
    base = Interview.objects.visible_to(request.user).with_list_relations()
    filterset = InterviewFilter(request.GET, queryset=base)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "can_create": interview_refusal(request.user, None, "create") is None,
        "today": timezone.localdate(),
    }
    return render(request, "responsibilities/interview_list.html", context)


@require_http_methods(["GET", "POST"])
def interview_create(request):
    reason = interview_refusal(request.user, None, "create")
    if reason:
        raise PermissionDenied(reason)
    form = interview_forms.InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_services.draft_interview(actor=request.user, **form.cleaned_data)
        except StepNotAllowed as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已登记约谈。"))
            return redirect("responsibilities:interview_detail", pk=interview.pk)
    status = 400 if form.errors else 200
    return render(request, "responsibilities/interview_form.html", {"form": form}, status=status)


def _step_url(interview: Interview, step) -> str:
    return reverse("responsibilities:interview_step", args=[interview.pk, step.name])


def _detail(request, pk, *, bound: dict | None = None, status: int = 200):
    interview = get_interview_for_user(request.user, pk)
    steps = INTERVIEW_WORKFLOW.panel(request.user, interview, url_for=_step_url, bound=bound)
    context = {"interview": interview, "steps": steps}
    return render(request, "responsibilities/interview_detail.html", context, status=status)


@require_GET
def interview_detail(request, pk: int):
    return _detail(request, pk)


@require_POST
def interview_step(request, pk: int, step: str):
    return step_view(
        request,
        INTERVIEW_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda interview: reverse(
            "responsibilities:interview_detail", args=[interview.pk]
        ),
    )
