"""API for statutory-duty records, compliance results and self-assessments.

Same permissions as the pages: records and assessments are visible with their enterprise;
only the enterprise's own manager writes duty records and fills an assessment; reviewers
review. Writes call the same services. Refusals answer {"detail": "<why, in Chinese>"}.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises import assessment_services, duty_services
from enterprises.assessment import AssessmentAnswer, SelfAssessment
from enterprises.duty_forms import DUTY_KINDS
from enterprises.models import Enterprise
from enterprises.permissions import get_enterprise_for_user
from enterprises.selectors import compliance_of
from safetyportal.api.fields import ScopedModelSerializer
from safetyportal.core.dates import check_plausible_year
from safetyportal.core.uploads import EVIDENCE, check_upload


class EnterpriseRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


def _messages(error: ValidationError) -> str:
    return "；".join(error.messages)


def _duty_serializer(kind):
    form_fields = list(kind.form._meta.fields)

    class Meta:
        model = kind.model
        fields = ["id", "enterprise", *form_fields, "created_at"]
        read_only_fields = ["created_at"]

    # out-of-scope enterprises are "not found", like every other door (ScopedModelSerializer)
    attrs = {"Meta": Meta}
    if "year" in form_fields:
        attrs["validate_year"] = lambda self, year: check_plausible_year(year)
    if "file" in form_fields:

        def validate_file(self, upload):
            try:
                check_upload(upload, allowed=EVIDENCE)
            except ValidationError as error:
                raise serializers.ValidationError(error.messages) from None
            return upload

        attrs["validate_file"] = validate_file
    name = f"{kind.model.__name__}Serializer"
    return type(name, (ScopedModelSerializer,), attrs)


def duty_viewset(slug: str):
    """A list/retrieve/create/destroy viewset for one kind of duty record."""
    kind = DUTY_KINDS[slug]
    serializer_class = _duty_serializer(kind)

    @method_decorator(login_not_required, name="dispatch")
    @extend_schema_view(
        list=extend_schema(summary=f"{kind.label}列表（按企业可见范围）"),
        create=extend_schema(
            summary=f"新增{kind.label}（仅本企业管理人员）",
            responses={
                201: serializer_class,
                403: EnterpriseRefusalSerializer,
                400: EnterpriseRefusalSerializer,
            },
        ),
        destroy=extend_schema(summary=f"删除{kind.label}（仅本企业管理人员）"),
    )
    class DutyViewSet(
        mixins.ListModelMixin,
        mixins.RetrieveModelMixin,
        mixins.CreateModelMixin,
        mixins.DestroyModelMixin,
        viewsets.GenericViewSet,
    ):
        queryset = kind.model.objects.none()

        def get_queryset(self):
            visible = Enterprise.objects.visible_to(self.request.user).values("pk")
            return kind.model.objects.filter(enterprise__in=visible).order_by("-id")

        def get_serializer_class(self):
            return serializer_class

        def perform_create(self, serializer):
            data = dict(serializer.validated_data)
            enterprise = data.pop("enterprise")
            try:
                record = duty_services.add_duty_record(
                    actor=self.request.user, enterprise=enterprise, kind=slug, values=data
                )
            except ValidationError as error:
                raise serializers.ValidationError({"detail": _messages(error)}) from None
            serializer.instance = record

        def perform_destroy(self, instance):
            duty_services.delete_duty_record(
                actor=self.request.user,
                enterprise=instance.enterprise,
                kind=slug,
                record_id=instance.pk,
            )

    DutyViewSet.__name__ = f"{kind.model.__name__}ViewSet"
    DutyViewSet.__qualname__ = DutyViewSet.__name__
    return DutyViewSet


DUTY_VIEWSETS = {slug: duty_viewset(slug) for slug in DUTY_KINDS}


class CheckResultSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["pass", "missing", "expired", "due_soon"])
    status_label = serializers.CharField()
    message = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="pk")
    enterprise_name = serializers.CharField(source="name")
    results = CheckResultSerializer(many=True)


@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    retrieve=extend_schema(summary="一家企业的法定职责合规检查结果"),
)
class ComplianceViewSet(viewsets.GenericViewSet):
    serializer_class = ComplianceSerializer
    queryset = Enterprise.objects.none()

    def retrieve(self, request, pk=None):
        enterprise = get_enterprise_for_user(request.user, pk)
        enterprise = Enterprise.objects.with_duty_records().get(pk=enterprise.pk)
        enterprise.results = compliance_of(enterprise, today=timezone.localdate())
        return Response(self.get_serializer(enterprise).data)


class AnswerSerializer(ScopedModelSerializer):
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
            return Response({"detail": _messages(error)}, status=status.HTTP_400_BAD_REQUEST)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(SelfAssessmentSerializer(fresh).data)

    @_step(SaveSerializer, "保存自评草稿；submit=true 时一并提交（仅本企业管理人员）")
    @action(detail=True, methods=["post"], url_path="save")
    def save_answers(self, request, pk=None):
        assessment = self.get_object()
        data = SaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = {
            row["id"]: {k: row[k] for k in ("score", "not_applicable", "note") if k in row}
            for row in data.validated_data["answers"]
        }
        return self._run(
            lambda: assessment_services.save_answers(
                actor=request.user,
                assessment=assessment,
                answers=answers,
                submit=data.validated_data["submit"],
            )
        )

    @_step(ReviewSerializer, "审核自评：调整得分（需理由），通过或退回（退回需意见）")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        assessment = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        adjustments = {
            row["id"]: {"score": row["score"], "reason": row["reason"], "clear_na": row["clear_na"]}
            for row in data.validated_data["adjustments"]
        }
        return self._run(
            lambda: assessment_services.review_assessment(
                actor=request.user,
                assessment=assessment,
                adjustments=adjustments,
                accept=data.validated_data["accept"],
                note=data.validated_data["note"],
            )
        )
