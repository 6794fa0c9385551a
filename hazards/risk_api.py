"""The risk register's API: enterprises maintain their own points, staff in scope review.
Errors are answered by the one exception handler (safetyportal.workflow.drf)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from hazards.permissions import get_risk_point_for_user
from hazards.risk_models import (
    CONSEQUENCE_CHOICES,
    EXPOSURE_CHOICES,
    LIKELIHOOD_CHOICES,
    RiskBand,
    RiskPoint,
    band_for,
)
from hazards.risk_services import save_risk_point
from safetyportal.core.api_fields import DecimalChoiceField, ScopedModelSerializer


class RiskPointSerializer(ScopedModelSerializer):
    likelihood = DecimalChoiceField(choices=LIKELIHOOD_CHOICES)
    exposure = DecimalChoiceField(choices=EXPOSURE_CHOICES)
    consequence = DecimalChoiceField(choices=CONSEQUENCE_CHOICES)
    level = serializers.SerializerMethodField()

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "enterprise",
            "name",
            "hazard_factors",
            "likelihood",
            "exposure",
            "consequence",
            "score",
            "level",
            "control_measures",
            "responsible_person",
            "check_frequency",
            "updated_at",
        ]
        read_only_fields = ["score", "level", "updated_at"]

    def get_level(self, point: RiskPoint) -> str:
        # the bands once per response (shared by the list's rows through the root's context;
        # `setdefault(..., list(query))` would run the query for every row)
        bands = self.context.get("bands")
        if bands is None:
            bands = self.context["bands"] = list(RiskBand.objects.order_by("-min_score"))
        band = band_for(point.score, bands)
        return band.code if band else ""


@method_decorator(login_not_required, name="dispatch")
class RiskPointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Risk points (双重预防): enterprises maintain their own, staff in scope review."""

    serializer_class = RiskPointSerializer
    queryset = RiskPoint.objects.none()

    def get_queryset(self):
        return RiskPoint.objects.visible_to(self.request.user).select_related("enterprise")

    def get_object(self):
        return get_risk_point_for_user(self.request.user, self.kwargs["pk"])

    def _save(self, serializer, point=None) -> RiskPoint:
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise", None) or point.enterprise
        return save_risk_point(actor=self.request.user, enterprise=enterprise, point=point, **data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = self._save(serializer)
        return Response(self.get_serializer(point).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        point = self.get_object()
        serializer = self.get_serializer(point, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        serializer.validated_data.pop("enterprise", None)  # a point never moves enterprise
        return Response(self.get_serializer(self._save(serializer, point)).data)
