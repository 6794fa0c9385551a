"""The accident pages: the list, the report form, the detail with its investigation steps
(the workflow kit handles each step's POST), and the year-on-year statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.accidents import forms, services, statistics
from enforcement.accidents.filters import AccidentFilter
from enforcement.accidents.models import Accident
from enforcement.accidents.workflow import ACCIDENT_WORKFLOW
from enforcement.permissions import (
    accident_refusal,
    accident_statistics_refusal,
    accident_town_pinned,
    filters_hidden_from,
    get_accident_for_user,
    sees_all_town_statistics,
)
from enforcement.pickers import chosen_enterprise, picker_context
from safetyportal.core.filters import hide_filters
from safetyportal.core.pagination import paginate
from safetyportal.workflow import StepNotAllowed
from safetyportal.workflow.html import add_errors, step_view


@require_GET
def accident_list(request):
    base = Accident.objects.visible_to(request.user).with_list_relations()
    filterset = AccidentFilter(request.GET, queryset=base)
    hide_filters(filterset, filters_hidden_from(request.user))
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "can_report": accident_refusal(request.user, None, "report") is None,
        "may_see_statistics": accident_statistics_refusal(request.user) is None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "enforcement/accidents/_accident_table.html", context)
    return render(request, "enforcement/accidents/accident_list.html", context)


@require_http_methods(["GET", "POST"])
def accident_create(request):
    reason = accident_refusal(request.user, None, "report")
    if reason:
        raise PermissionDenied(reason)
    scope = forms.accident_enterprises(request.user)
    picker = picker_context(request, scope)
    if request.headers.get("HX-Request") and "q" in request.GET:
        return render(request, "enforcement/_enterprise_results.html", picker)
    chosen = chosen_enterprise(request, scope)
    initial = {}
    if chosen is not None:
        initial = {"enterprise": chosen.pk, "town": chosen.town_id}
    form = forms.AccidentReportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            accident = services.report_accident(actor=request.user, **form.cleaned_data)
        except StepNotAllowed as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            message = gettext("已登记事故（%(grade)s）。") % {"grade": accident.get_grade_display()}
            if accident.is_late:
                message += gettext("报告时间距事故发生超过 1 小时，已标记为迟报。")
            messages.success(request, message)
            return redirect("enforcement:accident_detail", pk=accident.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "chosen": chosen, **picker}
    return render(request, "enforcement/accidents/accident_form.html", context, status=status)


def _step_url(accident: Accident, step) -> str:
    return reverse("enforcement:accident_step", args=[accident.pk, step.name])


def _detail(request, pk, *, bound: dict | None = None, status: int = 200):
    accident = get_accident_for_user(request.user, pk)
    steps = ACCIDENT_WORKFLOW.panel(request.user, accident, url_for=_step_url, bound=bound)
    context = {
        "accident": accident,
        "supplements": accident.supplements.select_related("recorded_by"),
        "steps": steps,
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/accidents/accident_detail.html", context, status=status)


@require_GET
def accident_detail(request, pk: int):
    return _detail(request, pk)


@require_POST
def accident_step(request, pk: int, step: str):
    return step_view(
        request,
        ACCIDENT_WORKFLOW,
        pk,
        step,
        render_detail=_detail,
        success_url=lambda accident: reverse("enforcement:accident_detail", args=[accident.pk]),
    )


@require_GET
def accident_statistics(request):
    reason = accident_statistics_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    today_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or today_year)
        moment = statistics.statistics_moment(year)
    except (ValueError, ValidationError):
        messages.warning(
            request, gettext("年度无效，已显示 %(year)s 年的统计。") % {"year": today_year}
        )
        year, moment = today_year, timezone.now()
    rows, total = statistics.year_on_year(moment)
    if not sees_all_town_statistics(request.user):
        own = accident_town_pinned(request.user)
        rows = [row for row in rows if row.town_id == own]
    (this_start, this_end), (last_start, last_end) = statistics.periods(moment)
    context = {
        "rows": rows,
        "total": total,
        "year": year,
        "years": range(today_year, today_year - 6, -1),
        "this_period": (this_start.date(), this_end.date()),
        "last_period": (last_start.date(), last_end.date()),
    }
    return render(request, "enforcement/accidents/statistics.html", context)
