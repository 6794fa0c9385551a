"""API for self-assessments: read them with their answers; take the workflow's steps
(save, submit, accept, return) with the same declaration, forms, rules and services as the
pages. Errors are the kit's: 403/409 {"detail": "<why>"}, 400 {"detail": [...]}.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.assessment.forms import AnswersInput, ReviewInput
from enterprises.assessment.models import AssessmentAnswer, SelfAssessment
from enterprises.assessment.workflow import ASSESSMENT_WORKFLOW
from safetyportal.core.api_fields import ScopedModelSerializer
from safetyportal.workflow.schema import ERROR_RESPONSES


class AnswerSerializer(ScopedModelSerializer):
    """One answer, as DRF's ModelSerializer writes it. A list of assessments carries tens
    of answers each (a page of 50: over a thousand), and the generic to_representation's
    per-field get_attribute machinery cost more than all the page's SQL; so the fields
    are read straight from the model's columns, each through its own DRF field's
    to_representation (the same output: tests/enterprises/test_assessment_api.py)."""

    @cached_property
    def _columns(self) -> list[tuple[str, str, Any]]:
        """(key, model attribute, the field's to_representation) per readable field: a
        foreign key is read as its id (DRF writes a related field's pk)."""
        columns = []
        for field in self._readable_fields:
            model_field = AssessmentAnswer._meta.get_field(field.source)
            if isinstance(field, serializers.PrimaryKeyRelatedField):
                columns.append((field.field_name, model_field.attname, _same))
            else:
                columns.append((field.field_name, model_field.attname, field.to_representation))
        return columns

    def to_representation(self, instance):
        row = {}
        for key, attname, represent in self._columns:
            value = getattr(instance, attname)
            row[key] = None if value is None else represent(value)
        return row

    class Meta:
        model = AssessmentAnswer
        fields = [
            "id",
            "code",
            "area",
            "requirement",
            "legal_basis",
            "points",
            "evidence_hint",
            "score",
            "not_applicable",
            "note",
            "reviewed_score",
            "adjust_reason",
            "hazard",
        ]


def _same(value):
    return value


class SelfAssessmentSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    year = serializers.IntegerField(source="period.year", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "template",
            "status",
            "total",
            "grade",
            "grade_name",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "answers",
        ]


class AnswerInputSerializer(serializers.Serializer):
    """One item to save; a key left out keeps its saved value."""

    id = serializers.IntegerField()
    score = serializers.CharField(required=False, allow_blank=True)
    not_applicable = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class AnswersRequestSerializer(serializers.Serializer):
    """The API's shape of AnswersInput (validated by that form, item by item)."""

    answers = AnswerInputSerializer(many=True)


class AdjustmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    clear_na = serializers.BooleanField(required=False, default=False)


class ReviewRequestSerializer(serializers.Serializer):
    """The API's shape of ReviewInput (validated by that form, item by item)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    adjustments = AdjustmentSerializer(many=True, required=False, default=list)


REQUEST_SERIALIZERS = {AnswersInput: AnswersRequestSerializer, ReviewInput: ReviewRequestSerializer}


def _step_action(step):
    """POST /assessments/{id}/<step>/: the door (404), the rule (403), the input through the
    step's form (400), the state (409), the service; 200 with the assessment as it now is."""
    request_serializer = REQUEST_SERIALIZERS[step.form]

    def take_step(self, request, pk=None):
        assessment = ASSESSMENT_WORKFLOW.get_for_user(request.user, pk)
        ASSESSMENT_WORKFLOW.check_rule(request.user, assessment, step)
        payload = request_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data, answers = step.form.api_data(payload.validated_data, assessment.answers.all())
        form = step.form(data, {}, assessment=assessment, answers=answers)
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        ASSESSMENT_WORKFLOW.check_state(assessment, step)
        ASSESSMENT_WORKFLOW.run(step, actor=request.user, obj=assessment, data=form.cleaned_data)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(SelfAssessmentSerializer(fresh).data)

    take_step.__name__ = step.prefix
    # @action first: it replaces the function's kwargs, where extend_schema puts the schema
    taken = action(detail=True, methods=["post"], url_path=step.name)(take_step)
    return extend_schema(
        operation_id=f"assessment_{step.prefix}",
        request=request_serializer,
        responses={200: SelfAssessmentSerializer, **ERROR_RESPONSES},
        summary=str(step.summary or step.label_for(None)),
    )(taken)


@method_decorator(login_not_required, name="dispatch")
class SelfAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Self-assessments of the enterprises the caller may see, with their answers; one
    POST action per step of the workflow (enterprises/assessment/workflow.py)."""

    serializer_class = SelfAssessmentSerializer

    def get_queryset(self):
        return (
            SelfAssessment.objects.visible_to(self.request.user)
            .with_list_relations()
            .prefetch_related("answers")
        )


for _step in ASSESSMENT_WORKFLOW:
    setattr(SelfAssessmentViewSet, _step.prefix, _step_action(_step))
