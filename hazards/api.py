"""The hazard API: the ledger, the major-hazard list, progress entries and risk points.

Every workflow step is a POST action on the hazard and calls the same service as the page,
so permissions, states, locking and audit are the same. Refusals answer
{"detail": "<why, in Chinese>"} with 403 (role or jurisdiction) or 409 (state).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise
from hazards import services
from hazards.filters import HazardFilter
from hazards.models import (
    CONSEQUENCE_CHOICES,
    EXPOSURE_CHOICES,
    LIKELIHOOD_CHOICES,
    AccountabilityKind,
    Hazard,
    HazardSource,
    ListLevel,
    MajorHazardListing,
    ProgressEntry,
    RiskBand,
    RiskPoint,
    StepNotAllowed,
    band_for,
)
from hazards.permissions import (
    can_report,
    get_hazard_for_user,
    get_risk_point_for_user,
    refusal,
)
from responsibilities.models import Organisation
from safetyportal.api import parsers
from safetyportal.api.fields import (
    DecimalChoiceField,
    PlausibleDateField,
    ScopedModelSerializer,
    ScopedPrimaryKeyRelatedField,
)


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


class HazardReportSerializer(serializers.Serializer):
    # the caller's scope only: an out-of-scope id answers like a missing one
    enterprise = ScopedPrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    source = serializers.ChoiceField(choices=HazardSource.choices)
    description = serializers.CharField()
    location = serializers.CharField(max_length=200)
    found_on = PlausibleDateField(required=False, past=True)
    deadline = PlausibleDateField()
    responsible_person = serializers.CharField(max_length=50)
    responsible_phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )


class DetermineSerializer(serializers.Serializer):
    list_number = serializers.CharField(max_length=40)
    level = serializers.ChoiceField(choices=ListLevel.choices, default=ListLevel.COUNTY)
    determined_on = PlausibleDateField(past=True)
    determination_basis = serializers.CharField(max_length=200)
    criterion = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    is_supervised = serializers.BooleanField(default=False)


class AssignSerializer(serializers.Serializer):
    slip_number = serializers.CharField(max_length=40)
    responsible_unit = serializers.CharField(max_length=200)
    supervising_unit = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.departments())
    deadline = PlausibleDateField()
    responsible_person = serializers.CharField(max_length=50)
    measures = serializers.CharField()
    funds_amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    funds_source = serializers.CharField(max_length=100)
    contingency_measures = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    entry_date = PlausibleDateField(past=True)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField()


class SubmitSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="整改情况（一般隐患）或销号申请说明（重大隐患）")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="整改证据（照片或 PDF，按内容检查）；重大隐患申请销号须至少一份。"
        "上传文件时请用 multipart/form-data。",
    )


class VerifySerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    opinion = serializers.CharField(help_text="核查意见；不通过时为书面说明")


class ExtensionRequestSerializer(serializers.Serializer):
    requested_deadline = PlausibleDateField()
    reason = serializers.CharField()


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AccountabilitySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AccountabilityKind.choices)
    unit = serializers.CharField(max_length=200)
    decided_on = PlausibleDateField(past=True)
    note = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


REFUSALS = {
    400: OpenApiResponse(description="输入有误（字段错误，中文说明）"),
    403: OpenApiResponse(DetailSerializer, description="角色或辖区不允许此步骤"),
    404: OpenApiResponse(DetailSerializer, description="隐患不存在或不在您的辖区"),
    409: OpenApiResponse(DetailSerializer, description="隐患当前状态不允许此步骤"),
}


def step_schema(request_serializer, summary: str):
    return extend_schema(
        request=request_serializer, responses={200: HazardSerializer, **REFUSALS}, summary=summary
    )


# DRF authenticates tokens itself; LoginRequiredMiddleware would see an anonymous user.
@method_decorator(login_not_required, name="dispatch")
@extend_schema_view(
    create=extend_schema(
        request=HazardReportSerializer, responses={201: HazardSerializer, **REFUSALS}
    )
)
class HazardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The hazard ledger the caller may see, with the list page's filters."""

    serializer_class = HazardSerializer
    filterset_class = HazardFilter
    queryset = Hazard.objects.none()

    def get_queryset(self):
        return Hazard.objects.visible_to(self.request.user).with_list_relations()

    def create(self, request, *args, **kwargs):
        if not can_report(request.user) or request.user.is_read_only:
            return Response(
                {"detail": gettext("您没有登记隐患的权限。")}, status=status.HTTP_403_FORBIDDEN
            )
        serializer = HazardReportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return self._call(
            request,
            lambda: services.report_hazard(actor=request.user, **serializer.validated_data),
            status.HTTP_201_CREATED,
        )

    def _call(self, request, call, success=status.HTTP_200_OK) -> Response:
        try:
            hazard = call()
        except StepNotAllowed as error:
            return Response({"detail": str(error)}, status=error.status_code)
        except ValidationError as error:
            body = (
                error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        hazard = self.get_queryset().get(pk=hazard.pk)
        return Response(HazardSerializer(hazard).data, status=success)

    def _step(self, request, pk, step: str, serializer_class, service):
        hazard = get_hazard_for_user(request.user, pk)
        # who may act comes before what was sent: a forbidden caller gets 403, not 400
        reason = refusal(request.user, hazard, step)
        if reason:
            return Response({"detail": reason}, status=status.HTTP_403_FORBIDDEN)
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def call():
            service(actor=request.user, hazard_id=hazard.pk, **data)
            return hazard

        return self._call(request, call)

    @step_schema(None, "开始整改（一般隐患）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(
            request, pk, "start", serializers.Serializer, services.start_rectification
        )

    @step_schema(DetermineSerializer, "认定为重大事故隐患，列入清单（县安委办）")
    @action(detail=True, methods=["post"])
    def determine(self, request, pk=None):
        return self._step(
            request, pk, "determine", DetermineSerializer, services.determine_major_hazard
        )

    @step_schema(AssignSerializer, "交办：下达交办单及五落实（县安委办）")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(request, pk, "assign", AssignSerializer, services.assign_major_hazard)

    @step_schema(ProgressSerializer, "台账：登记整改进展")
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._step(request, pk, "progress", ProgressSerializer, services.record_progress)

    @step_schema(SubmitSerializer, "提交整改（一般隐患）或申请销号（重大隐患）")
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser],
    )
    def submit(self, request, pk=None):
        return self._step(request, pk, "submit", SubmitSerializer, services.submit_rectification)

    @step_schema(VerifySerializer, "核查：通过即销号，不通过须书面说明并退回整改")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(
            request, pk, "verify_pass", VerifySerializer, services.verify_rectification
        )

    @step_schema(ExtensionRequestSerializer, "申请延期（须在期限前）")
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        return self._step(
            request, pk, "request_extension", ExtensionRequestSerializer, services.request_extension
        )

    @step_schema(ExtensionDecisionSerializer, "审批延期（县安委办）")
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        return self._step(
            request, pk, "decide_extension", ExtensionDecisionSerializer, services.decide_extension
        )

    @step_schema(VoidSerializer, "作废（误录，保留记录；县安委办）")
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        return self._step(request, pk, "void", VoidSerializer, services.void_hazard)

    @step_schema(AccountabilitySerializer, "登记问责（县安委办）")
    @action(detail=True, methods=["post"])
    def accountability(self, request, pk=None):
        return self._step(
            request, pk, "accountability", AccountabilitySerializer, services.record_accountability
        )


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
        visible = Hazard.objects.visible_to(self.request.user).values("pk")
        return MajorHazardListing.objects.filter(hazard__in=visible).select_related(
            "hazard", "hazard__enterprise"
        )


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
        visible = Hazard.objects.visible_to(self.request.user).values("pk")
        return ProgressEntry.objects.filter(hazard__in=visible).order_by("-entry_date", "-id")


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
        bands = self.context.setdefault("bands", list(RiskBand.objects.order_by("-min_score")))
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

    def _save(self, serializer, point=None):
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise", None) or point.enterprise
        try:
            return services.save_risk_point(
                actor=self.request.user, enterprise=enterprise, point=point, **data
            )
        except StepNotAllowed as error:
            return Response({"detail": str(error)}, status=error.status_code)
        except ValidationError as error:
            body = (
                error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = self._save(serializer)
        if isinstance(result, Response):
            return result
        return Response(self.get_serializer(result).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        point = self.get_object()
        serializer = self.get_serializer(point, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        serializer.validated_data.pop("enterprise", None)  # a point never moves enterprise
        result = self._save(serializer, point)
        if isinstance(result, Response):
            return result
        return Response(self.get_serializer(result).data)
