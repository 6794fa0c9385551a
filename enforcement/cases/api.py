"""API of penalty cases: list/detail (the list page's filters), create under either procedure
(POST /cases/simple/, POST /cases/general/), one POST action per workflow step
(enforcement/cases/workflow.py), the documents of a case, and the case-file PDF request.
The same services and doors as the pages; refusals are the workflow kit's vocabulary
(403 role/unit, 409 state, 400 input including the legal limits of rules.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from enforcement.authority.models import DelegatedItem, PartyKind
from enforcement.authority.selectors import certified_officers
from enforcement.cases import services
from enforcement.cases.filters import CaseFilter
from enforcement.cases.models import Case, CaseDocument, PenaltyKind
from enforcement.cases.workflow import CASE_WORKFLOW
from enforcement.permissions import acting_unit_id, case_create_refusal, get_case_for_user
from enterprises.models import Enterprise
from safetyportal.workflow.api import step_actions
from safetyportal.workflow.schema import ERROR_RESPONSES


class CaseDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseDocument
        fields = ["id", "kind", "label", "year", "number", "issued_on", "issuing_authority"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "unit",
            "unit_name",
            "town",
            "town_name",
            "procedure",
            "item",
            "item_code",
            "enterprise",
            "party_kind",
            "party_name",
            "inspection",
            "facts",
            "status",
            "penalty_kind",
            "fine",
            "filed_on",
            "notified_on",
            "hearing_requested_on",
            "hearing_notice_on",
            "hearing_on",
            "decided_on",
            "decision_number",
            "served_on",
            "payment_due",
            "paid_on",
            "late_penalty",
            "closed_on",
            "file_status",
            "created_at",
        ]
        read_only_fields = fields


class _CaseCreateSerializer(serializers.Serializer):
    """Ids, resolved through the same choices as the page's form (items: the county's
    active list; enterprise: the caller's door; officers: the caller's unit's officials
    with a certificate valid on the case's date)."""

    day_field = ""

    item = serializers.IntegerField(help_text="执法事项 id")
    enterprise = serializers.IntegerField(required=False, allow_null=True, default=None)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    party_name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    facts = serializers.CharField()
    officers = serializers.ListField(child=serializers.IntegerField(), min_length=1)

    def _resolve(self, queryset, pk, field):
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(
                {field: [_("所选项不存在或不在您的范围内，请重新选择。")]}
            )
        return found

    def validate(self, attrs):
        user = self.context["request"].user
        attrs["item"] = self._resolve(DelegatedItem.objects.active(), attrs["item"], "item")
        if attrs.get("enterprise") is not None:
            attrs["enterprise"] = self._resolve(
                Enterprise.objects.visible_to(user), attrs["enterprise"], "enterprise"
            )
        elif not attrs.get("party_name"):
            raise serializers.ValidationError(
                {"party_name": [_("请选择当事企业或填写当事人名称。")]}
            )
        wanted = set(attrs["officers"])
        day = attrs.get(self.day_field) or timezone.localdate()
        officers = list(certified_officers(acting_unit_id(user), day).filter(pk__in=wanted))
        if len(officers) != len(wanted):
            raise serializers.ValidationError(
                {"officers": [_("执法人员须为本单位在案件日期持有效执法证的人员。")]}
            )
        attrs["officers"] = officers
        return attrs


class SimpleCaseCreateSerializer(_CaseCreateSerializer):
    day_field = "decided_on"
    penalty_kind = serializers.ChoiceField(choices=PenaltyKind.choices)
    fine = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)


class GeneralCaseCreateSerializer(_CaseCreateSerializer):
    day_field = "filed_on"
    filed_on = serializers.DateField(required=False, allow_null=True, default=None)


@method_decorator(login_not_required, name="dispatch")
@step_actions(CASE_WORKFLOW)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The penalty cases the caller may see, with the list page's filters."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    queryset = Case.objects.none()

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related("unit", "town", "item")

    def get_object(self):
        return get_case_for_user(self.request.user, self.kwargs["pk"])

    def _create(self, request, serializer_class, service):
        reason = case_create_refusal(request.user)
        if reason:
            raise PermissionDenied(reason)
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = service(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SimpleCaseCreateSerializer,
        responses={201: CaseSerializer, **ERROR_RESPONSES},
        summary="当场处罚（简易程序）：当场作出编号决定书",
    )
    @action(detail=False, methods=["post"], url_path="simple")
    def create_simple(self, request):
        return self._create(request, SimpleCaseCreateSerializer, services.create_simple_case)

    @extend_schema(
        request=GeneralCaseCreateSerializer,
        responses={201: CaseSerializer, **ERROR_RESPONSES},
        summary="一般程序立案：编号立案审批表",
    )
    @action(detail=False, methods=["post"], url_path="general")
    def create_general(self, request):
        return self._create(request, GeneralCaseCreateSerializer, services.open_general_case)

    @extend_schema(responses={200: CaseDocumentSerializer(many=True)}, summary="案件的执法文书")
    # the documents of one case: a plain list, no paging, not the case list's filters
    @action(
        detail=True,
        methods=["get"],
        url_path="documents",
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        case = get_case_for_user(request.user, pk)
        return Response(CaseDocumentSerializer(case.documents.all(), many=True).data)

    @extend_schema(
        request=None,
        responses={202: CaseSerializer, **ERROR_RESPONSES},
        summary="申请生成案卷 PDF（异步；file_status 变为 ready 后在页面下载）",
    )
    @action(detail=True, methods=["post"], url_path="case-file")
    def case_file(self, request, pk=None):
        case = services.request_case_file(actor=request.user, case_id=pk)
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(fresh).data, status=status.HTTP_202_ACCEPTED)


ROUTES: list = [("cases", CaseViewSet, "case")]
