"""Staff API of whistleblower reports: list/detail (the list page's filters) and one POST
action per handling step (enforcement/reports/workflow.py), through the same door and
rules as the pages. The reporter's identity is never part of it: there is no identity
field, and the audited reveal is a page action only (a deliberate click, not a client
loop). The public form is a page, not an API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from enforcement.reports.filters import ReportFilter
from enforcement.reports.models import Report, Reward
from enforcement.reports.permissions import get_report_for_user, reports_refusal
from enforcement.reports.workflow import REPORT_WORKFLOW
from safetyportal.workflow.api import step_actions


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = [
            "basis",
            "fine",
            "deaths",
            "accident_grade",
            "base_amount",
            "uplift_amount",
            "amount",
            "status",
            "computed_on",
            "approved_on",
            "paid_on",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    reward = RewardSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Report
        # no receipt code (it is the reporter's key) and no identity
        fields = [
            "id",
            "kind",
            "enterprise",
            "enterprise_name",
            "town",
            "industry",
            "location",
            "description",
            "happened_on",
            "is_anonymous",
            "is_whistleblower",
            "status",
            "unit",
            "unit_name",
            "received_on",
            "accept_due",
            "accepted_on",
            "reject_reason",
            "verify_due",
            "extended_on",
            "extension_reason",
            "verified_on",
            "outcome",
            "findings",
            "feedback_due",
            "feedback",
            "feedback_on",
            "merged_into",
            "hazard",
            "case",
            "reward",
        ]
        read_only_fields = fields


@method_decorator(login_not_required, name="dispatch")
@step_actions(REPORT_WORKFLOW)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The whistleblower reports the caller may see (county office and leaders: all; a
    department or town: those it handles), with the list page's filters."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    queryset = Report.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        reason = reports_refusal(request.user)
        if reason:
            raise PermissionDenied(reason)

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user).select_related("unit", "reward")

    def get_object(self):
        return get_report_for_user(self.request.user, self.kwargs["pk"])


ROUTES: list = [("whistleblower-reports", ReportViewSet, "whistleblower-report")]
