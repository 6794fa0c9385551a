"""The county office's page of periodic jobs (定时任务): each job, when it runs, when it
last ran, switched on or off and its time of day edited here (or in the admin)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django_celery_beat.models import PeriodicTask

from safetyportal.core import schedule_services as services
from safetyportal.core.pagination import paginate


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_("启用"), required=False)
    at = forms.TimeField(
        label=_("运行时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("请按“时:分”填写运行时间，例如 06:30。")},
    )


def _require_manager(user) -> None:
    if not services.may_manage_schedules(user):
        raise PermissionDenied(gettext("只有县安委办可以查看和修改定时任务。"))


@require_GET
def schedule_list(request):
    _require_manager(request.user)
    page = paginate(
        request,
        PeriodicTask.objects.select_related("crontab", "interval").order_by("name", "pk"),
    )
    rows = [
        {
            "task": task,
            "when": services.describe(task),
            "at": services.time_of_day(task),
        }
        for task in page
    ]
    return render(request, "core/schedule_list.html", {"page": page, "rows": rows})


@require_POST
def schedule_change(request, pk: int):
    _require_manager(request.user)
    task = get_object_or_404(PeriodicTask, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("core:schedules")
    try:
        services.change_schedule(
            actor=request.user,
            task_id=task.pk,
            enabled=form.cleaned_data["enabled"],
            at=form.cleaned_data["at"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, gettext("已保存定时任务“%(name)s”。") % {"name": task.name})
    return redirect("core:schedules")
