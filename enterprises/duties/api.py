"""API for statutory-duty records and compliance results.

Same doors and rules as the pages: records are visible with their enterprise; only the
enterprise's own manager writes them. Writes call the same services. Refusals answer
{"detail": "<why, in Chinese>"}.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.duties import services
from enterprises.duties.compliance import Status
from enterprises.duties.forms import DUTY_KINDS
from enterprises.duties.selectors import compliance_of
from enterprises.permissions import get_enterprise_for_user
from enterprises.registry.api import EnterpriseRefusalSerializer, joined_messages
from enterprises.registry.models import Enterprise
from safetyportal.core.api_fields import ScopedModelSerializer
from safetyportal.core.dates import check_plausible_year
from safetyportal.core.uploads import EVIDENCE, check_upload


def _duty_serializer(kind):
    form_fields = list(kind.form._meta.fields)

    class Meta:
        model = kind.model
        fields = ["id", "enterprise", *form_fields, "created_at"]
        read_only_fields = ["created_at"]

    # out-of-scope enterprises are "not found", like every other door (ScopedModelSerializer)
    attrs = {"Meta": Meta}
    if "year" in form_fields:
        attrs["validate_year"] = lambda self, year: check_plausible_year(year)
    if "file" in form_fields:

        def validate_file(self, upload):
            try:
                return check_upload(upload, allowed=EVIDENCE).file
            except ValidationError as error:
                raise serializers.ValidationError(error.messages) from None

        attrs["validate_file"] = validate_file
    name = f"{kind.model.__name__}Serializer"
    return type(name, (ScopedModelSerializer,), attrs)


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def duty_viewset(slug: str):
    """A list/retrieve/create/void viewset for one kind of duty record (records are
    voided with a reason, never deleted: ADR 0046)."""
    kind = DUTY_KINDS[slug]
    serializer_class = _duty_serializer(kind)

    @method_decorator(login_not_required, name="dispatch")
    @extend_schema_view(
        list=extend_schema(summary=f"{kind.label}列表（按企业可见范围）"),
        create=extend_schema(
            summary=f"新增{kind.label}（仅本企业管理人员）",
            responses={
                201: serializer_class,
                403: EnterpriseRefusalSerializer,
                400: EnterpriseRefusalSerializer,
            },
        ),
        void=extend_schema(
            summary=f"作废{kind.label}（仅本企业管理人员，须填写原因）",
            request=VoidSerializer,
            responses={
                204: None,
                400: EnterpriseRefusalSerializer,
                403: EnterpriseRefusalSerializer,
                404: EnterpriseRefusalSerializer,
            },
        ),
    )
    class DutyViewSet(
        mixins.ListModelMixin,
        mixins.RetrieveModelMixin,
        mixins.CreateModelMixin,
        viewsets.GenericViewSet,
    ):
        queryset = kind.model.objects.none()

        def get_queryset(self):
            return kind.model.objects.visible_to(self.request.user).order_by("-id")

        def get_serializer_class(self):
            return serializer_class

        def perform_create(self, serializer):
            data = dict(serializer.validated_data)
            enterprise = data.pop("enterprise")
            try:
                record = services.add_duty_record(
                    actor=self.request.user, enterprise=enterprise, kind=slug, values=data
                )
            except ValidationError as error:
                raise serializers.ValidationError({"detail": joined_messages(error)}) from None
            serializer.instance = record

        @action(detail=True, methods=["post"], url_path="void")
        def void(self, request, pk=None):
            """Void the record with a reason: it is kept, no longer shown or counted."""
            instance = self.get_object()
            data = VoidSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                services.void_duty_record(
                    actor=request.user,
                    enterprise=instance.enterprise,
                    kind=slug,
                    record_id=instance.pk,
                    reason=data.validated_data["reason"],
                )
            except ValidationError as error:
                raise serializers.ValidationError({"detail": joined_messages(error)}) from None
            return Response(status=status.HTTP_204_NO_CONTENT)

    DutyViewSet.__name__ = f"{kind.model.__name__}ViewSet"
    DutyViewSet.__qualname__ = DutyViewSet.__name__
    return DutyViewSet


DUTY_VIEWSETS = {slug: duty_viewset(slug) for slug in DUTY_KINDS}


class CheckResultSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.values)
    status_label = serializers.CharField()
    message = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="pk")
    enterprise_name = serializers.CharField(source="name")
    results = CheckResultSerializer(many=True)


@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    retrieve=extend_schema(summary="一家企业的法定职责合规检查结果"),
)
class ComplianceViewSet(viewsets.GenericViewSet):
    serializer_class = ComplianceSerializer
    queryset = Enterprise.objects.none()

    def retrieve(self, request, pk=None):
        enterprise = get_enterprise_for_user(request.user, pk)
        enterprise = Enterprise.objects.with_duty_records().get(pk=enterprise.pk)
        enterprise.results = compliance_of(enterprise, today=timezone.localdate())
        return Response(self.get_serializer(enterprise).data)
