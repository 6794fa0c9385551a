"""The duty-list API: lists (filter by year and owner) with their items, an item's
detail, and the item's workflow steps `mark-done` (multipart with a file, or JSON with a
note or a link) and `reopen`, derived from DUTY_ITEM_WORKFLOW. Same doors, rules and
services as the pages; refusals answer {"detail": "<why, in Chinese>"}."""

from __future__ import annotations

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from responsibilities.duty_models import DutyItem, DutyList
from responsibilities.duty_workflow import DUTY_ITEM_WORKFLOW
from responsibilities.permissions import (
    duty_lists_visible_to,
    duty_refusal,
    get_duty_item_for_user,
)
from safetyportal.workflow.api import step_actions


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
            "evidence_link",
            "reopen_reason",
            "industry",
            "link_type",
            "link_id",
        ]
        read_only_fields = fields


class DutyListSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    items = DutyItemSerializer(many=True, read_only=True)

    class Meta:
        model = DutyList
        fields = ["id", "year", "owner", "owner_name", "owner_person", "created_at", "items"]
        read_only_fields = fields


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
@step_actions(DUTY_ITEM_WORKFLOW)
class DutyItemViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One duty item, with one POST action per workflow step: `mark-done` (the responsible
    unit, with a note, a file (multipart) or a link to a portal record as evidence) and
    `reopen` (the county office, or the unit itself, with a reason)."""

    serializer_class = DutyItemSerializer
    queryset = DutyItem.objects.none()

    def get_queryset(self):
        _require_view(self.request.user)
        return DutyItem.objects.filter(duty_list__in=duty_lists_visible_to(self.request.user))

    def get_object(self):
        return get_duty_item_for_user(self.request.user, self.kwargs["pk"])


ROUTES: list = [
    ("duty-lists", DutyListViewSet, "duty-list"),
    ("duty-items", DutyItemViewSet, "duty-item"),
]
