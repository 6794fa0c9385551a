"""The duty-list API: lists (filter by year and owner) with their items, an item's
detail, and `mark-done` on an item (multipart with a file, or JSON with a note). Same
doors, rules and service as the pages; refusals answer {"detail": "<why, in Chinese>"}."""

from __future__ import annotations

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyList
from responsibilities.permissions import duty_lists_visible_to, duty_refusal


class DutyItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyItem
        fields = [
            "id",
            "duty_list",
            "order",
            "content",
            "legal_basis",
            "frequency",
            "deadline",
            "status",
            "done_on",
            "evidence_note",
            "evidence_file",
        ]
        read_only_fields = fields


class DutyListSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    items = DutyItemSerializer(many=True, read_only=True)

    class Meta:
        model = DutyList
        fields = ["id", "year", "owner", "owner_name", "owner_person", "created_at", "items"]
        read_only_fields = fields


class MarkDoneSerializer(serializers.Serializer):
    evidence_note = serializers.CharField(
        required=False, allow_blank=True, help_text="完成情况说明（与佐证材料至少填一项）"
    )
    evidence_file = serializers.FileField(required=False, help_text="佐证材料（multipart）")


class DutyListFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("责任单位"))

    class Meta:
        model = DutyList
        fields = ["year", "owner"]


def _require_view(user) -> None:
    reason = duty_refusal(user, None, "view")
    if reason:
        raise PermissionDenied(reason)


@method_decorator(login_not_required, name="dispatch")
class DutyListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Duty lists the caller may see (the county office and leaders: all; a department or
    town: its own), each with its items."""

    serializer_class = DutyListSerializer
    filterset_class = DutyListFilter
    queryset = DutyList.objects.none()

    def get_queryset(self):
        _require_view(self.request.user)
        return (
            duty_lists_visible_to(self.request.user)
            .select_related("owner")
            .prefetch_related(Prefetch("items", DutyItem.objects.order_by("order", "id")))
            .order_by("-year", "owner__sort_order", "owner__code", "owner_person", "id")
        )


@method_decorator(login_not_required, name="dispatch")
class DutyItemViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One duty item; `mark-done` marks it done with a note or a file as evidence (the
    responsible unit's own officials only)."""

    serializer_class = DutyItemSerializer
    queryset = DutyItem.objects.none()

    def get_queryset(self):
        _require_view(self.request.user)
        return DutyItem.objects.filter(duty_list__in=duty_lists_visible_to(self.request.user))

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=MarkDoneSerializer, responses={200: DutyItemSerializer})
    @action(detail=True, methods=["post"], url_path="mark-done")
    def mark_done(self, request, pk=None):
        item = self.get_object()
        data = MarkDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = duty_services.mark_duty_item_done(
            actor=request.user,
            item_id=item.pk,
            evidence_note=data.validated_data.get("evidence_note", ""),
            evidence_file=data.validated_data.get("evidence_file"),
        )
        return Response(DutyItemSerializer(item, context={"request": request}).data)


ROUTES: list = [
    ("duty-lists", DutyListViewSet, "duty-list"),
    ("duty-items", DutyItemViewSet, "duty-item"),
]
