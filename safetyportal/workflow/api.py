"""DRF POST actions generated from a workflow's steps, with their OpenAPI description.

    @step_actions(HAZARD_WORKFLOW)
    class HazardViewSet(viewsets.GenericViewSet): ...

adds one action per step (POST /<prefix>/{id}/<step name>/): the door (404), the rule (403),
the input from the serializer derived from the step's form (400), the state and guard (409),
the service, then 200 with the viewset's serializer of the record as it now is.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from safetyportal.core.api_parsers import FormParser, JSONParser, MultiPartParser
from safetyportal.workflow.schema import ERROR_RESPONSES
from safetyportal.workflow.serializers import serializer_for
from safetyportal.workflow.steps import Step, Workflow


def _has_files(step: Step) -> bool:
    from django import forms

    return any(isinstance(f, forms.FileField) for f in step.form.base_fields.values())


def _describe(workflow: Workflow, step: Step) -> str:
    sources = ", ".join(workflow.sources(step)) or "*"
    target = workflow.target(step) or "(unchanged)"
    return f"Workflow step `{step.name}` of {workflow.name}: status {sources} -> {target}."


def _make_action(workflow: Workflow, step: Step, result_serializer: Any):
    request_serializer = serializer_for(
        step.form, f"{workflow.name.title()}{step.prefix.title().replace('_', '')}Request"
    )

    def take_step(self, request, pk=None):
        obj = workflow.get_for_user(request.user, pk)
        # who may act comes before what was sent: a forbidden caller gets 403, not 400
        workflow.check_rule(request.user, obj, step)
        form_kwargs = step.form_kwargs(request.user, obj) if step.form_kwargs else {}
        serializer = request_serializer(
            data=request.data, context={"request": request, "form_kwargs": form_kwargs}
        )
        serializer.is_valid(raise_exception=True)
        workflow.check_state(obj, step)
        workflow.run(step, actor=request.user, obj=obj, data=serializer.validated_data)
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data)

    take_step.__name__ = step.prefix
    take_step.__doc__ = str(step.summary or step.label_for(None))
    has_fields = bool(step.form.base_fields)
    kwargs: dict[str, Any] = {"detail": True, "methods": ["post"], "url_path": step.name}
    if _has_files(step):
        # the project's parsers (depth-limited JSON, control characters stripped), with
        # multipart first so files can be sent
        kwargs["parser_classes"] = [MultiPartParser, FormParser, JSONParser]
    return extend_schema(
        request=request_serializer if has_fields else None,
        responses={200: result_serializer, **ERROR_RESPONSES},
        summary=str(step.summary or step.label_for(None)),
        description=_describe(workflow, step),
    )(action(**kwargs)(take_step))


def step_actions(workflow: Workflow):
    """Class decorator: one POST action per step of `workflow` on a GenericViewSet."""

    def decorate(viewset: type) -> type:
        for step in workflow:
            # the 200 answer is the record as it now is, in the viewset's own serializer
            func = _make_action(workflow, step, getattr(viewset, "serializer_class", None))
            setattr(viewset, step.prefix, func)
        return viewset

    return decorate
