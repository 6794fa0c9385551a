"""The supervision-map API (issue 11 items 2 and 6): the years' maps, and one year's map
per industry -> lead department, co-operating departments, the town's role and the duty
items of that year's lists for the industry. Same rule as the map page
(supervision_map_refusal: officials only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from responsibilities.map_services import attach_duty_items, map_with_previous
from responsibilities.models import SupervisionMap
from responsibilities.permissions import supervision_map_refusal


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MapDutyItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    duty_list = serializers.IntegerField(source="duty_list_id")
    owner = serializers.IntegerField(source="duty_list.owner_id")
    owner_name = serializers.CharField(source="duty_list.owner.name")
    content = serializers.CharField()
    status = serializers.CharField()


class MapIndustrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="industry.pk")
    code = serializers.CharField(source="industry.code")
    name = serializers.CharField(source="industry.name")
    is_emerging = serializers.BooleanField(source="industry.is_emerging")
    lead = UnitSerializer(allow_null=True)
    cooperating = UnitSerializer(many=True)
    town_role = serializers.CharField(allow_blank=True)
    duty_items = MapDutyItemSerializer(many=True)


class SupervisionMapSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionMap
        fields = ["id", "year", "title", "document_number", "published_at"]
        read_only_fields = fields


class SupervisionMapDetailSerializer(SupervisionMapSerializer):
    industries = MapIndustrySerializer(many=True, read_only=True)

    class Meta(SupervisionMapSerializer.Meta):
        fields = [*SupervisionMapSerializer.Meta.fields, "industries"]
        read_only_fields = fields


def _require(user) -> None:
    reason = supervision_map_refusal(user)
    if reason:
        raise PermissionDenied(reason)


@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="年度")
        ]
    )
)
class SupervisionMapViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The yearly supervision maps (old years stay readable), newest first; a year's map
    (`/supervision-maps/{year}/`) lists each industry with its lead department,
    co-operating departments, the town's role and that year's duty items for it."""

    serializer_class = SupervisionMapSerializer
    queryset = SupervisionMap.objects.none()
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        _require(self.request.user)
        return SupervisionMap.objects.order_by("-year")

    def get_serializer_class(self):
        return (
            SupervisionMapDetailSerializer
            if self.action == "retrieve"
            else super().get_serializer_class()
        )

    def retrieve(self, request, *args, **kwargs):
        selected = get_object_or_404(self.get_queryset(), year=int(kwargs["year"]))
        _selected, _previous, rows, _old = map_with_previous([selected], selected.year)
        attach_duty_items(rows, selected.year)
        selected.industries = rows
        return Response(SupervisionMapDetailSerializer(selected).data)


ROUTES: list = [("supervision-maps", SupervisionMapViewSet, "supervision-map")]
