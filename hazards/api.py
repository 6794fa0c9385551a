"""The hazard API: the ledger, the major-hazard list and progress entries.

Every workflow step is a POST action generated from hazards/workflow.py by the workflow kit,
calling the same service as the page, so permissions, states, locking and audit are the
same. Refusals answer {"detail": "<why, in Chinese>"} with 403 (role or jurisdiction) or
409 (state), bad input 400 with field errors: the kit's one exception handler
(safetyportal.workflow.drf) translates them. The risk register's API is in risk_api.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from hazards import forms, services
from hazards.filters import HazardFilter
from hazards.models import Hazard, MajorHazardListing, ProgressEntry
from hazards.permissions import (
    get_hazard_for_user,
    get_listing_for_user,
    get_progress_entry_for_user,
    listings_visible_to,
    progress_entries_visible_to,
    refusal,
)
from hazards.workflow import HAZARD_WORKFLOW
from safetyportal.workflow.api import step_actions
from safetyportal.workflow.serializers import serializer_for

# the report's input is the report page's form (its enterprise scoped to the caller)
HazardReportSerializer = serializer_for(forms.HazardReportForm, "HazardReport")


class HazardSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    list_number = serializers.CharField(
        source="listing.list_number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Hazard
        fields = [
            "id",
            "code",
            "enterprise",
            "enterprise_name",
            "town",
            "town_name",
            "industry",
            "industry_name",
            "source",
            "hazard_class",
            "status",
            "description",
            "location",
            "found_on",
            "deadline",
            "original_deadline",
            "responsible_person",
            "responsible_phone",
            "rectification_note",
            "closed_on",
            "void_reason",
            "list_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# DRF authenticates tokens itself; LoginRequiredMiddleware would see an anonymous user.
@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    create=extend_schema(request=HazardReportSerializer, responses={201: HazardSerializer})
)
@step_actions(HAZARD_WORKFLOW)
class HazardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The hazard ledger the caller may see, with the list page's filters; one POST action
    per workflow step (hazards/workflow.py)."""

    serializer_class = HazardSerializer
    filterset_class = HazardFilter
    queryset = Hazard.objects.none()

    def get_queryset(self):
        return Hazard.objects.visible_to(self.request.user).with_list_relations()

    def get_object(self):
        return get_hazard_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        reason = refusal(request.user, None, "report")
        if reason:
            raise PermissionDenied(reason)
        serializer = HazardReportSerializer(
            data=request.data, context={"request": request, "form_kwargs": {"user": request.user}}
        )
        serializer.is_valid(raise_exception=True)
        hazard = services.report_hazard(actor=request.user, **serializer.validated_data)
        hazard = self.get_queryset().get(pk=hazard.pk)
        return Response(HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)


class MajorHazardListingSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="hazard.status", read_only=True)
    enterprise_name = serializers.CharField(source="hazard.enterprise.name", read_only=True)
    deadline = serializers.DateField(source="hazard.deadline", read_only=True)
    closed_on = serializers.DateField(source="hazard.closed_on", read_only=True, allow_null=True)

    class Meta:
        model = MajorHazardListing
        fields = [
            "id",
            "hazard",
            "list_number",
            "level",
            "determined_on",
            "determination_basis",
            "criterion",
            "is_supervised",
            "closing_opinion",
            "status",
            "enterprise_name",
            "deadline",
            "closed_on",
        ]
        read_only_fields = fields


@method_decorator(login_not_required, name="dispatch")
class MajorHazardListingViewSet(viewsets.ReadOnlyModelViewSet):
    """The major-hazard list (一单) entries the caller may see."""

    serializer_class = MajorHazardListingSerializer
    queryset = MajorHazardListing.objects.none()

    def get_queryset(self):
        return listings_visible_to(self.request.user).select_related("hazard", "hazard__enterprise")

    def get_object(self):
        return get_listing_for_user(self.request.user, self.kwargs["pk"])


class ProgressEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEntry
        fields = ["id", "hazard", "entry_date", "percent", "note", "recorded_by", "created_at"]
        read_only_fields = fields


@method_decorator(login_not_required, name="dispatch")
class ProgressEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """台账 progress entries of visible hazards (add one with POST /hazards/{id}/progress/)."""

    serializer_class = ProgressEntrySerializer
    queryset = ProgressEntry.objects.none()

    def get_queryset(self):
        return progress_entries_visible_to(self.request.user).order_by("-entry_date", "-id")

    def get_object(self):
        return get_progress_entry_for_user(self.request.user, self.kwargs["pk"])
