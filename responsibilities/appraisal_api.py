"""The year-end appraisal API: rounds (read-only), results (filters year / unit / status;
the detail with every score and its evidence count), one POST action per step of the
result's workflow, and `adjust` on a score (POST
/appraisal-results/{id}/scores/{indicator_code}/adjust/). Same doors, rules and services as
the pages; refusals answer {"detail": "<why, in Chinese>"}."""

from __future__ import annotations

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from responsibilities import appraisal_forms, appraisal_services
from responsibilities.appraisal_models import (
    AppraisalResult,
    AppraisalRound,
    IndicatorScore,
    ResultStatus,
)
from responsibilities.appraisal_workflow import APPRAISAL_WORKFLOW
from responsibilities.permissions import appraisal_refusal, get_appraisal_result_for_user
from safetyportal.workflow.api import step_actions
from safetyportal.workflow.schema import ERROR_RESPONSES
from safetyportal.workflow.serializers import serializer_for

AdjustRequestSerializer = serializer_for(appraisal_forms.AdjustForm, "AppraisalAdjustRequest")


def _require_view(user) -> None:
    reason = appraisal_refusal(user, None, "view")
    if reason:
        raise PermissionDenied(reason)


class AppraisalRoundSerializer(serializers.ModelSerializer):
    scheme_title = serializers.CharField(source="scheme.title", read_only=True)

    class Meta:
        model = AppraisalRound
        fields = [
            "id",
            "year",
            "scheme",
            "scheme_title",
            "snapshot_date",
            "status",
            "opened_at",
            "published_at",
        ]
        read_only_fields = fields


class IndicatorScoreSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    kind = serializers.CharField(source="indicator.kind", read_only=True)
    rule = serializers.CharField(source="indicator.rule", read_only=True)
    max_points = serializers.DecimalField(
        source="indicator.points", max_digits=5, decimal_places=2, read_only=True
    )
    points = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = IndicatorScore
        fields = [
            "code",
            "name",
            "kind",
            "rule",
            "max_points",
            "counted",
            "base",
            "computed_points",
            "adjusted_points",
            "adjustment_reason",
            "adjusted_at",
            "points",
            "explanation",
            "summary",
            "records_url",
            "vetoes",
            "evidence_count",
        ]
        read_only_fields = fields


class AppraisalResultSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="round.year", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    appraiser_name = serializers.CharField(source="appraiser.name", read_only=True)

    class Meta:
        model = AppraisalResult
        fields = [
            "id",
            "year",
            "unit",
            "unit_name",
            "appraiser",
            "appraiser_name",
            "status",
            "progress",
            "snapshot_date",
            "computed_at",
            "computed_total",
            "total",
            "grade",
            "vetoed",
            "self_report",
            "review_note",
            "approval_note",
            "published_at",
        ]
        read_only_fields = fields


class AppraisalResultDetailSerializer(AppraisalResultSerializer):
    scores = serializers.SerializerMethodField()

    class Meta(AppraisalResultSerializer.Meta):
        fields = [*AppraisalResultSerializer.Meta.fields, "scores"]
        read_only_fields = fields

    @extend_schema_field(IndicatorScoreSerializer(many=True))
    def get_scores(self, result) -> list[dict]:
        scores = getattr(result, "prefetched_scores", None)
        if scores is None:
            scores = _scores(result)
        return IndicatorScoreSerializer(scores, many=True).data


def _scores(result):
    return (
        IndicatorScore.objects.filter(result=result)
        .select_related("indicator")
        .annotate(evidence_count=Count("evidence"))
        .order_by("indicator__sort_order", "indicator__code")
    )


class AppraisalResultFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="round__year", label=_("年度"))
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("被考核单位"))
    status = django_filters.ChoiceFilter(choices=ResultStatus.choices, label=_("状态"))


@method_decorator(login_not_required, name="dispatch")
class AppraisalRoundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The appraisal rounds by year (officials only; read-only)."""

    serializer_class = AppraisalRoundSerializer
    queryset = AppraisalRound.objects.none()

    def get_queryset(self):
        _require_view(self.request.user)
        return AppraisalRound.objects.select_related("scheme").order_by("-year")


@method_decorator(login_not_required, name="dispatch")
@step_actions(APPRAISAL_WORKFLOW)
class AppraisalResultViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The appraisal results the caller may see; the detail lists every score with its
    evidence count; one POST action per step; `adjust` sets a score's points."""

    serializer_class = AppraisalResultDetailSerializer
    filterset_class = AppraisalResultFilter
    queryset = AppraisalResult.objects.none()

    def get_serializer_class(self):
        if self.action == "list":
            return AppraisalResultSerializer
        return AppraisalResultDetailSerializer

    def get_queryset(self):
        _require_view(self.request.user)
        queryset = AppraisalResult.objects.visible_to(self.request.user).with_list_relations()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "scores",
                    IndicatorScore.objects.select_related("indicator")
                    .annotate(evidence_count=Count("evidence"))
                    .order_by("indicator__sort_order", "indicator__code"),
                    to_attr="prefetched_scores",
                )
            )
        return queryset.order_by("-round__year", "unit__kind", "unit__sort_order", "unit__code")

    def get_object(self):
        result = get_appraisal_result_for_user(self.request.user, self.kwargs["pk"])
        result.prefetched_scores = list(_scores(result))
        return result

    @extend_schema(
        request=AdjustRequestSerializer,
        responses={200: AppraisalResultDetailSerializer, **ERROR_RESPONSES},
        parameters=[
            OpenApiParameter(
                "indicator_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="指标编号"
            )
        ],
        summary="考核单位调整指标得分（评议计分指标打分），须填写理由",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"scores/(?P<indicator_code>[^/]+)/adjust",
    )
    def adjust(self, request, pk=None, indicator_code=None):
        result = get_appraisal_result_for_user(request.user, pk)
        reason = appraisal_refusal(request.user, result, "adjust")
        if reason:
            raise PermissionDenied(reason)
        score = (
            IndicatorScore.objects.select_related("indicator", "result")
            .filter(result=result, indicator__code=indicator_code)
            .first()
        )
        if score is None:
            raise Http404
        data = AdjustRequestSerializer(
            data=request.data, context={"request": request, "form_kwargs": {}}
        )
        data.is_valid(raise_exception=True)
        appraisal_services.adjust_score(
            actor=request.user,
            score=score,
            points=data.validated_data.get("points"),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(AppraisalResultDetailSerializer(self.get_object()).data)


ROUTES: list = [
    ("appraisal-rounds", AppraisalRoundViewSet, "appraisal-round"),
    ("appraisal-results", AppraisalResultViewSet, "appraisal-result"),
]
