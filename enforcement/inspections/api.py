"""The inspection API: list (the list page's filters), detail, create (a draft with its
checklist answers and findings), the workflow steps as POST actions (add-finding with
photos, submit) and finding -> hazard. The same services and rules as the pages; refusals
answer {"detail": "<why, in Chinese>"} (403 / 409), bad input 400 with field errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from enforcement.inspections import forms, services
from enforcement.inspections.filters import InspectionFilter
from enforcement.inspections.models import Answer, Finding, Inspection
from enforcement.inspections.workflow import INSPECTION_WORKFLOW
from enforcement.permissions import (
    get_finding_for_user,
    get_inspection_for_user,
    inspection_refusal,
)
from enterprises.models import Enterprise
from responsibilities.models import Organisation
from safetyportal.core.api_fields import ScopedPrimaryKeyRelatedField
from safetyportal.workflow.api import step_actions
from safetyportal.workflow.serializers import serializer_for

FindingHazardSerializer = serializer_for(forms.FindingHazardForm, "FindingHazard")


class FindingSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "checklist_item",
            "description",
            "location",
            "hazard",
            "photos",
        ]
        read_only_fields = fields

    def get_photos(self, finding) -> list[int]:
        return [photo.pk for photo in finding.photos.all()]


class InspectionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "unit",
            "unit_name",
            "enterprise",
            "enterprise_name",
            "town",
            "town_name",
            "plan_target",
            "inspected_on",
            "checklist",
            "status",
            "summary",
            "acknowledged_by",
            "refused_to_sign",
            "finding_count",
            "followed_up",
            "created_at",
        ]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionSerializer):
    officers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    joint_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    answers = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [
            *InspectionSerializer.Meta.fields,
            "officers",
            "joint_units",
            "answers",
            "findings",
        ]
        read_only_fields = fields

    def get_answers(self, inspection) -> list[dict]:
        return [
            {"item": a.item_id, "answer": a.answer, "note": a.note}
            for a in inspection.answers.all()
        ]


class InspectionAnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InspectionFindingInputSerializer(serializers.Serializer):
    description = serializers.CharField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    checklist_item = serializers.IntegerField(required=False, allow_null=True, default=None)


class InspectionCreateSerializer(serializers.Serializer):
    """A new inspection (a draft). Officers are user ids holding a certificate valid on the
    inspection date; photos are added per finding with POST /inspections/{id}/add-finding/."""

    enterprise = ScopedPrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    inspected_on = serializers.DateField()
    officers = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    joint_units = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    plan_target = serializers.IntegerField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    acknowledged_by = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    refused_to_sign = serializers.BooleanField(required=False, default=False)
    answers = InspectionAnswerInputSerializer(many=True, required=False)
    findings = InspectionFindingInputSerializer(many=True, required=False)


# DRF authenticates tokens itself; LoginRequiredMiddleware would see an anonymous user.
@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    create=extend_schema(
        request=InspectionCreateSerializer, responses={201: InspectionDetailSerializer}
    )
)
@step_actions(INSPECTION_WORKFLOW)
class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections the caller may see (joint units and the town's territory included), with
    the list page's filters; one POST action per workflow step (inspections/workflow.py)."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    queryset = Inspection.objects.none()

    def get_serializer_class(self):
        if self.action == "list":
            return InspectionSerializer
        return InspectionDetailSerializer

    def get_queryset(self):
        queryset = Inspection.objects.visible_to(self.request.user).select_related(
            "unit", "enterprise", "town"
        )
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "officers", "joint_units", "answers", "findings__photos"
            )
        return queryset

    def get_object(self):
        inspection = get_inspection_for_user(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=inspection.pk)

    def create(self, request, *args, **kwargs):
        reason = inspection_refusal(request.user, "log")
        if reason:
            raise PermissionDenied(reason)
        serializer = InspectionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = None
        if data["plan_target"] is not None:
            target = (
                services.plan_services.open_targets_for(request.user, data["enterprise"].pk)
                .filter(pk=data["plan_target"])
                .first()
            )
            if target is None:
                raise serializers.ValidationError(
                    {"plan_target": [_("所选计划检查对象不是本单位对该企业的未完成计划。")]}
                )
        inspection = services.log_inspection(
            actor=request.user,
            enterprise=data["enterprise"],
            inspected_on=data["inspected_on"],
            officers=data["officers"],
            joint_units=data.get("joint_units", []),
            plan_target=target,
            summary=data["summary"],
            acknowledged_by=data["acknowledged_by"],
            refused_to_sign=data["refused_to_sign"],
            answers={a["item"]: (a["answer"], a["note"]) for a in data.get("answers", [])},
            findings=[
                services.FindingInput(
                    description=f["description"],
                    location=f["location"],
                    checklist_item_id=f["checklist_item"],
                )
                for f in data.get("findings", [])
            ],
        )
        fresh = self.get_queryset().get(pk=inspection.pk)
        return Response(InspectionDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)


@method_decorator(login_not_required, name="dispatch")
class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """Findings of the inspections the caller may see; POST {id}/hazard/ makes one a hazard."""

    serializer_class = FindingSerializer
    queryset = Finding.objects.none()

    def get_queryset(self):
        visible = Inspection.objects.visible_to(self.request.user).values("pk")
        return (
            Finding.objects.filter(inspection__in=visible)
            .prefetch_related("photos")
            .order_by("-inspection_id", "id")
        )

    def get_object(self):
        return get_finding_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=FindingHazardSerializer,
        responses={200: FindingSerializer},
        summary="检查发现的问题转为隐患（列入隐患台账）",
    )
    @action(detail=True, methods=["post"], url_path="hazard")
    def hazard(self, request, pk=None):
        finding = get_finding_for_user(request.user, pk)
        reason = inspection_refusal(request.user, "to_hazard", finding.inspection)
        if reason:
            raise PermissionDenied(reason)
        serializer = FindingHazardSerializer(
            data=request.data, context={"request": request, "form_kwargs": {}}
        )
        serializer.is_valid(raise_exception=True)
        services.finding_to_hazard(
            actor=request.user, finding_id=finding.pk, **serializer.validated_data
        )
        return Response(FindingSerializer(self.get_queryset().get(pk=finding.pk)).data)


ROUTES: list = [
    ("inspections", InspectionViewSet, "inspection"),
    ("inspection-findings", FindingViewSet, "inspection-finding"),
]
