"""API for self-assessments: read them with their answers; save, submit and review with
the same forms, rules and services as the pages. Refusals answer
{"detail": "<why, in Chinese>"}.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.assessment import services
from enterprises.assessment.forms import answer_formset_from_rows, review_formset_from_rows
from enterprises.assessment.models import AssessmentAnswer, SelfAssessment
from enterprises.registry.api import EnterpriseRefusalSerializer, joined_messages


class AnswerSerializer(serializers.ModelSerializer):
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


class SelfAssessmentSerializer(serializers.ModelSerializer):
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


class SaveSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True)
    submit = serializers.BooleanField(default=False)


class AdjustmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    clear_na = serializers.BooleanField(required=False, default=False)


class ReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    adjustments = AdjustmentSerializer(many=True, required=False, default=list)


def _step(request_serializer, summary):
    return extend_schema(
        request=request_serializer,
        summary=summary,
        responses={
            200: SelfAssessmentSerializer,
            400: OpenApiResponse(EnterpriseRefusalSerializer, description="输入有误，未作任何修改"),
            403: OpenApiResponse(EnterpriseRefusalSerializer, description="无权办理"),
        },
    )


@method_decorator(login_not_required, name="dispatch")
class SelfAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Self-assessments of the enterprises the caller may see, with their answers."""

    serializer_class = SelfAssessmentSerializer

    def get_queryset(self):
        return (
            SelfAssessment.objects.visible_to(self.request.user)
            .with_list_relations()
            .prefetch_related("answers")
        )

    def _run(self, call) -> Response:
        try:
            assessment = call()
        except ValidationError as error:
            return Response({"detail": joined_messages(error)}, status=status.HTTP_400_BAD_REQUEST)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(SelfAssessmentSerializer(fresh).data)

    @_step(SaveSerializer, "保存自评草稿；submit=true 时一并提交（仅本企业管理人员）")
    @action(detail=True, methods=["post"], url_path="save")
    def save_answers(self, request, pk=None):
        assessment = self.get_object()
        data = SaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [dict(row) for row in data.validated_data["answers"]]

        def save():
            formset = answer_formset_from_rows(rows, assessment.answers.all())
            formset.raise_if_invalid()
            return services.save_answers(
                actor=request.user,
                assessment=assessment,
                answers=formset.changes(),
                submit=data.validated_data["submit"],
            )

        return self._run(save)

    @_step(ReviewSerializer, "审核自评：调整得分（需理由），通过或退回（退回需意见）")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        assessment = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [dict(row) for row in data.validated_data["adjustments"]]

        def review():
            formset = review_formset_from_rows(rows, assessment.answers.all())
            formset.raise_if_invalid()
            return services.review_assessment(
                actor=request.user,
                assessment=assessment,
                adjustments=formset.adjustments(),
                accept=data.validated_data["accept"],
                note=data.validated_data["note"],
            )

        return self._run(review)
