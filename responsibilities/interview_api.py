"""The 约谈 API: list (the page's filters), detail, draft, one POST action per step. Same
doors and rules as the pages; refusals answer {"detail": "<why, in Chinese>"}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from responsibilities import interview_forms, interview_services
from responsibilities.interview_models import Interview
from responsibilities.interview_views import InterviewFilter
from responsibilities.interview_workflow import INTERVIEW_WORKFLOW
from responsibilities.permissions import (
    get_interview_for_user,
    interview_refusal,
    may_list_interviews,
)
from safetyportal.workflow.api import step_actions
from safetyportal.workflow.serializers import serializer_for

InterviewDraftSerializer = serializer_for(interview_forms.InterviewForm, "InterviewDraft")


class InterviewSerializer(serializers.ModelSerializer):
    summoning_unit_name = serializers.CharField(source="summoning_unit.name", read_only=True)
    feedback_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "summoning_unit",
            "summoning_unit_name",
            "summoned_unit",
            "summoned_name",
            "reason_kind",
            "reason_text",
            "date",
            "participants",
            "minutes",
            "commitments",
            "feedback_due",
            "feedback_overdue",
            "feedback",
            "feedback_on",
            "status",
        ]
        read_only_fields = fields


@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    create=extend_schema(request=InterviewDraftSerializer, responses={201: InterviewSerializer})
)
@step_actions(INTERVIEW_WORKFLOW)
class InterviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """约谈 records the caller may see; one POST action per step."""

    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter
    queryset = Interview.objects.none()

    def get_queryset(self):
        if not may_list_interviews(self.request.user):
            raise PermissionDenied(gettext("约谈记录仅对机关用户开放。"))
        return Interview.objects.visible_to(self.request.user).with_list_relations()

    def get_object(self):
        return get_interview_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        reason = interview_refusal(request.user, None, "create")
        if reason:
            raise PermissionDenied(reason)
        serializer = InterviewDraftSerializer(
            data=request.data, context={"request": request, "form_kwargs": {}}
        )
        serializer.is_valid(raise_exception=True)
        interview = interview_services.draft_interview(
            actor=request.user, **serializer.validated_data
        )
        return Response(InterviewSerializer(interview).data, status=status.HTTP_201_CREATED)
