"""API of this area: (prefix, viewset, basename) triples registered by safetyportal/api/urls.py.

    GET /api/v1/exposed-cases/        the exposure board's records (officials; the county
                                      office and leaders also see withdrawn ones)
    GET /api/v1/repeat-offenders/     enterprises over a repeat-offender threshold, with
                                      their penalty counts and the closure proposal

The API stays authenticated (the public reads the board's page); publishing and
withdrawing are the county office's page actions.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from enforcement.exposure.models import ExposedCase
from enforcement.permissions import get_exposure_for_user, sees_repeat_offenders
from enforcement.repeat_offenders import closure_among, flagged_counts, flagged_enterprises


class ExposedCaseSerializer(serializers.ModelSerializer):
    is_public = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExposedCase
        fields = [
            "id",
            "case",
            "party_name",
            "town",
            "town_name",
            "item_name",
            "facts_summary",
            "penalty_kind",
            "fine",
            "decision_number",
            "decided_on",
            "authority",
            "published_at",
            "withdrawn_at",
            "withdrawal_reason",
            "is_public",
        ]
        read_only_fields = fields


@method_decorator(login_not_required, name="dispatch")
class ExposedCaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The exposure board's records the caller may read (newest decision first)."""

    serializer_class = ExposedCaseSerializer
    queryset = ExposedCase.objects.none()

    def get_queryset(self):
        return ExposedCase.objects.visible_to(self.request.user).order_by("-decided_on", "-id")

    def get_object(self):
        return get_exposure_for_user(self.request.user, self.kwargs["pk"])


class RepeatOffenderSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    name = serializers.CharField()
    town = serializers.CharField()
    penalties_180_days = serializers.IntegerField(help_text="180 日内的行政处罚次数")
    penalties_365_days = serializers.IntegerField(help_text="365 日内的行政处罚次数")
    closure_proposal = serializers.BooleanField(
        help_text="同时存在未销号重大事故隐患（安全生产法第一百一十三条）"
    )


@method_decorator(login_not_required, name="dispatch")
class RepeatOffenderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """屡罚不改: the enterprises the caller may see with 3 penalties within 180 days or 4
    within 365 days (warnings and fines decided), for officials."""

    serializer_class = RepeatOffenderSerializer
    queryset = ExposedCase.objects.none()  # the schema's model; the list is enterprises
    filter_backends: list = []

    def list(self, request, *args, **kwargs):
        if not sees_repeat_offenders(request.user):
            raise PermissionDenied(_("屡罚不改名单只对执法和监管人员开放。"))
        today = timezone.localdate()
        # the year's aggregate once: the count, the page and the figures shown read it
        counts = flagged_counts(today)
        page = self.paginate_queryset(flagged_enterprises(request.user, today, flagged=counts))
        closure = closure_among([e.pk for e in page], today)
        rows = [
            {
                "enterprise": e.pk,
                "name": e.name,
                "town": e.town.name,
                "penalties_180_days": counts[e.pk].recent,
                "penalties_365_days": counts[e.pk].year,
                "closure_proposal": e.pk in closure,
            }
            for e in page
        ]
        return self.get_paginated_response(RepeatOffenderSerializer(rows, many=True).data)


ROUTES: list = [
    ("exposed-cases", ExposedCaseViewSet, "exposed-case"),
    ("repeat-offenders", RepeatOffenderViewSet, "repeat-offender"),
]
