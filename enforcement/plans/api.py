"""API of this area: (prefix, viewset, basename) triples registered by safetyportal/api/urls.py.

- plans: list / detail with progress (planned, done, due, overdue, rate); `?year=`.
- plan-targets: list (`?plan=`, `?month=`, `?state=`), create (one enterprise) and delete
  by the plan's unit, while the target is not done.
- pairings and guidance-visits: read; a visit is created by the pairing's chief.
Same rules and doors as the pages (enforcement/permissions.py); refusals in Chinese.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from enforcement.permissions import (
    get_pairing_for_user,
    get_plan_for_user,
    get_plan_target_for_user,
    get_visit_for_user,
    pairing_scope,
    plan_scope,
    sees_pairings,
    sees_plans,
)
from enforcement.plans import selectors, services
from enforcement.plans.models import GuidanceVisit, InspectionPlan, PlanTarget, TownPairing


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    planned = serializers.IntegerField(read_only=True)
    done = serializers.IntegerField(read_only=True)
    due = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)
    rate = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "title",
            "created_at",
            "planned",
            "done",
            "due",
            "overdue",
            "rate",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("year", int, description="只列该年度的计划")])
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspection plans the caller may see, with progress counted in SQL."""

    serializer_class = PlanSerializer
    queryset = InspectionPlan.objects.none()

    def get_queryset(self):
        """The plans, without their figures: the list's count and page read only plans."""
        if not sees_plans(self.request.user):
            return InspectionPlan.objects.none()
        queryset = InspectionPlan.objects.filter(plan_scope(self.request.user)).select_related(
            "unit"
        )
        year = _int(self.request.query_params.get("year"))
        if year is not None:
            queryset = queryset.filter(year=year)
        return queryset.order_by("-year", "unit__sort_order", "id")

    def list(self, request, *args, **kwargs):
        # the targets are aggregated once, for the page's plans only (not for the count)
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        selectors.attach_progress(page, timezone.localdate())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        plan = get_plan_for_user(self.request.user, self.kwargs["pk"])
        with_progress = self.get_queryset().filter(pk=plan.pk).first()
        if with_progress is None:
            raise Http404
        return selectors.attach_progress([with_progress], timezone.localdate())[0]


class PlanTargetSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.display_name", read_only=True)

    class Meta:
        model = PlanTarget
        fields = [
            "id",
            "plan",
            "enterprise",
            "enterprise_name",
            "month",
            "kind",
            "assigned_to",
            "assigned_to_name",
            "done_on",
        ]
        # output only: writes take PlanTargetWriteSerializer and the service checks scope,
        # month and assignee with the Chinese reasons
        read_only_fields = fields


class PlanTargetWriteSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    month = serializers.IntegerField()
    kind = serializers.CharField()
    assigned_to = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("plan", int),
            OpenApiParameter("month", int),
            OpenApiParameter("state", str, enum=["done", "open"]),
        ]
    ),
    create=extend_schema(request=PlanTargetWriteSerializer, responses={201: PlanTargetSerializer}),
)
class PlanTargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Targets of the plans the caller may see; the plan's unit adds and deletes them."""

    serializer_class = PlanTargetSerializer
    queryset = PlanTarget.objects.none()

    def get_queryset(self):
        queryset = PlanTarget.objects.filter(
            plan__in=InspectionPlan.objects.filter(plan_scope(self.request.user)).values("pk")
        ).select_related("enterprise", "assigned_to")
        params = self.request.query_params
        if (plan := _int(params.get("plan"))) is not None:
            queryset = queryset.filter(plan_id=plan)
        if (month := _int(params.get("month"))) is not None:
            queryset = queryset.filter(month=month)
        if params.get("state") == "done":
            queryset = queryset.filter(done_on__isnull=False)
        elif params.get("state") == "open":
            queryset = queryset.filter(done_on__isnull=True)
        return queryset.order_by("plan_id", "month", "id")

    def get_object(self):
        return get_plan_target_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = PlanTargetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # a plan the caller may not see is bad input for this field (400), like the scoped
        # foreign keys of the other writes: the door stays shut without a new status
        _visible_or_invalid(get_plan_for_user, request.user, data["plan"], "plan")
        (target,) = services.add_targets(
            actor=request.user,
            plan_id=data["plan"],
            enterprise_ids=[data["enterprise"]],
            month=data["month"],
            kind=data["kind"],
            assigned_to_id=data["assigned_to"],
        )
        target = self.get_queryset().get(pk=target.pk)
        return Response(PlanTargetSerializer(target).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        target = self.get_object()
        services.remove_target(actor=request.user, target_id=target.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PairingSerializer(serializers.ModelSerializer):
    town_name = serializers.CharField(source="town.name", read_only=True)
    chief_name = serializers.CharField(source="chief.display_name", read_only=True)

    class Meta:
        model = TownPairing
        fields = ["id", "year", "town", "town_name", "chief", "chief_name", "note"]
        read_only_fields = fields


class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    """一对一包联 pairings the caller may see (kept by the county office on the pages)."""

    serializer_class = PairingSerializer
    queryset = TownPairing.objects.none()

    def get_queryset(self):
        queryset = TownPairing.objects.filter(pairing_scope(self.request.user)).select_related(
            "town", "chief"
        )
        if (year := _int(self.request.query_params.get("year"))) is not None:
            queryset = queryset.filter(year=year)
        return queryset.order_by("-year", "town__sort_order", "id")

    def get_object(self):
        return get_pairing_for_user(self.request.user, self.kwargs["pk"])


class GuidanceVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidanceVisit
        fields = ["id", "pairing", "visited_on", "content", "issues_found", "follow_up"]
        read_only_fields = fields  # output only: writes take GuidanceVisitWriteSerializer


class GuidanceVisitWriteSerializer(serializers.Serializer):
    pairing = serializers.IntegerField()
    visited_on = serializers.DateField()
    content = serializers.CharField()
    issues_found = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    create=extend_schema(
        request=GuidanceVisitWriteSerializer, responses={201: GuidanceVisitSerializer}
    )
)
class GuidanceVisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Guidance visits of the pairings the caller may see; the pairing's chief adds one."""

    serializer_class = GuidanceVisitSerializer
    queryset = GuidanceVisit.objects.none()

    def get_queryset(self):
        if not sees_pairings(self.request.user):
            return GuidanceVisit.objects.none()
        queryset = GuidanceVisit.objects.filter(
            pairing__in=TownPairing.objects.filter(pairing_scope(self.request.user)).values("pk")
        )
        if (pairing := _int(self.request.query_params.get("pairing"))) is not None:
            queryset = queryset.filter(pairing_id=pairing)
        return queryset.order_by("-visited_on", "-id")

    def get_object(self):
        return get_visit_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = GuidanceVisitWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pairing = _visible_or_invalid(
            get_pairing_for_user, request.user, data.pop("pairing"), "pairing"
        )
        visit = services.record_visit(actor=request.user, pairing_id=pairing.pk, **data)
        return Response(GuidanceVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


def _visible_or_invalid(door, user, pk, field: str):
    """The record a write names in its body, through its door; out of scope -> 400 on the
    field (what a scoped foreign key answers), not the 404 of a record in the path."""
    try:
        return door(user, pk)
    except Http404:
        raise serializers.ValidationError(
            {field: [_("记录不存在或不在您的职责范围内，请重新选择。")]}
        ) from None


ROUTES: list = [
    ("enforcement/plans", PlanViewSet, "enforcement-plan"),
    ("enforcement/plan-targets", PlanTargetViewSet, "enforcement-plan-target"),
    ("enforcement/pairings", PairingViewSet, "enforcement-pairing"),
    ("enforcement/guidance-visits", GuidanceVisitViewSet, "enforcement-guidance-visit"),
]
