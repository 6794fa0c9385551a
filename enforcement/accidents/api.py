"""The accident API: the list (the page's filters), detail, report, one POST action per
investigation step (enforcement/accidents/workflow.py), and the year-on-year statistics.
Same doors and rules as the pages; refusals answer {"detail": "<why, in Chinese>"}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from enforcement.accidents import forms, services, statistics
from enforcement.accidents.filters import AccidentFilter
from enforcement.accidents.models import Accident
from enforcement.accidents.workflow import ACCIDENT_WORKFLOW
from enforcement.permissions import (
    accident_refusal,
    accident_statistics_refusal,
    accident_town_pinned,
    get_accident_for_user,
    sees_all_town_statistics,
)
from safetyportal.workflow.api import step_actions
from safetyportal.workflow.serializers import serializer_for

AccidentReportSerializer = serializer_for(forms.AccidentReportForm, "AccidentReport")


class AccidentSerializer(serializers.ModelSerializer):
    town_name = serializers.CharField(source="town.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    report_due = serializers.DateField(read_only=True)
    decision_due = serializers.DateField(read_only=True, allow_null=True)
    supplement_deadline = serializers.DateField(read_only=True)

    class Meta:
        model = Accident
        fields = [
            "id",
            "unit",
            "unit_name",
            "town",
            "town_name",
            "enterprise",
            "party_name",
            "industry",
            "kind",
            "occurred_at",
            "reported_at",
            "is_late",
            "place",
            "course",
            "deaths",
            "serious_injuries",
            "missing",
            "direct_loss",
            "measures",
            "reported_by",
            "grade",
            "status",
            "team",
            "lead_unit",
            "investigation_started_on",
            "extension_days",
            "extension_reason",
            "report_due",
            "report_submitted_on",
            "report_summary",
            "decision_due",
            "decided_on",
            "decision",
            "closed_on",
            "supplement_deadline",
        ]
        read_only_fields = fields


class ChangeSerializer(serializers.Serializer):
    this = serializers.DecimalField(max_digits=16, decimal_places=2)
    last = serializers.DecimalField(max_digits=16, decimal_places=2)
    percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="null: last year had none"
    )
    text = serializers.CharField()


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=statistics.FIRST_YEAR,
        help_text="年度（默认本年，至今日；往年为全年对比上年全年）",
    )


class StatisticsRowSerializer(serializers.Serializer):
    town_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    accidents = ChangeSerializer()
    deaths = ChangeSerializer()
    serious_injuries = ChangeSerializer()
    direct_loss = ChangeSerializer()


@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    create=extend_schema(request=AccidentReportSerializer, responses={201: AccidentSerializer})
)
@step_actions(ACCIDENT_WORKFLOW)
class AccidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Accident reports the caller may see, with the list page's filters; one POST action
    per investigation step; `statistics/` is this year to date against last year."""

    serializer_class = AccidentSerializer
    filterset_class = AccidentFilter
    queryset = Accident.objects.none()

    def get_queryset(self):
        return Accident.objects.visible_to(self.request.user).with_list_relations()

    def get_object(self):
        return get_accident_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        reason = accident_refusal(request.user, None, "report")
        if reason:
            raise PermissionDenied(reason)
        serializer = AccidentReportSerializer(
            data=request.data, context={"request": request, "form_kwargs": {"user": request.user}}
        )
        serializer.is_valid(raise_exception=True)
        accident = services.report_accident(actor=request.user, **serializer.validated_data)
        accident = self.get_queryset().get(pk=accident.pk)
        return Response(AccidentSerializer(accident).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            200: inline_serializer(
                "AccidentStatistics",
                {"rows": StatisticsRowSerializer(many=True), "total": StatisticsRowSerializer()},
            )
        },
        parameters=[StatisticsQuerySerializer],
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def statistics(self, request):
        """Year on year per town and for the county (a town: its own row and the total):
        this year to date against last year to the same date, or a past `year` whole."""
        reason = accident_statistics_refusal(request.user)
        if reason:
            raise PermissionDenied(reason)
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows, total = statistics.year_on_year(
            statistics.statistics_moment(query.validated_data.get("year"))
        )
        if not sees_all_town_statistics(request.user):
            own = accident_town_pinned(request.user)
            rows = [row for row in rows if row.town_id == own]
        return Response(
            {
                "rows": StatisticsRowSerializer(rows, many=True).data,
                "total": StatisticsRowSerializer(total).data,
            }
        )


ROUTES: list = [("accidents", AccidentViewSet, "accident")]
