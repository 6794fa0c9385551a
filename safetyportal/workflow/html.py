"""The one HTML view helper for workflow steps (every step URL goes through `step_view`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext

from safetyportal.workflow.errors import StepNotAllowed
from safetyportal.workflow.steps import Workflow

# render_detail(request, pk, *, bound={step name: bound form} | None, status=...) -> response
DetailRenderer = Callable[..., HttpResponse]


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def step_view(
    request: HttpRequest,
    workflow: Workflow,
    pk: Any,
    step_name: str,
    *,
    render_detail: DetailRenderer,
    success_url: Callable[[Any], str],
) -> HttpResponse:
    """Take `step_name` on the record `pk`: 404 from the door or for an unknown step;
    403 / 409 with the reason shown on the detail page; 400 with the form's errors in place;
    on success the step's message and a redirect. POST only (decorate the view)."""
    step = workflow.get(step_name)
    obj = workflow.get_for_user(request.user, pk)
    form = workflow.form(step, request.user, obj, request.POST, request.FILES)
    try:
        workflow.check_rule(request.user, obj, step)
        if not form.is_valid():
            messages.error(request, gettext("提交的信息有误，请按提示修改后重新提交。"))
            return render_detail(request, pk, bound={step.name: form}, status=400)
        workflow.check_state(obj, step)
        workflow.run(step, actor=request.user, obj=obj, data=form.cleaned_data)
    except StepNotAllowed as error:
        messages.error(request, str(error))
        return render_detail(request, pk, status=error.status_code)
    except ValidationError as error:
        add_errors(form, error)
        messages.error(request, pgettext("list separator", "；").join(error.messages))
        return render_detail(request, pk, bound={step.name: form}, status=400)
    messages.success(request, str(step.success))
    return redirect(success_url(obj))
