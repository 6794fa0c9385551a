from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from rest_framework import serializers, viewsets

from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.models import Enterprise
from safetyportal.core.api_fields import ScopedModelSerializer


class EnterpriseRefusalSerializer(serializers.Serializer):
    """The body of a refused or invalid write: why, in Chinese."""

    detail = serializers.CharField()


def joined_messages(error: ValidationError) -> str:
    return "；".join(error.messages)


class EnterpriseSerializer(ScopedModelSerializer):
    town_name = serializers.CharField(source="town.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "uscc",
            "town",
            "town_name",
            "industry",
            "industry_name",
            "address",
            "employee_count",
            "scale",
            "is_high_risk",
            "status",
            "legal_representative",
            "principal_name",
            "principal_phone",
            "created_at",
            "updated_at",
        ]


# DRF authenticates tokens itself; LoginRequiredMiddleware would see an anonymous user.
@method_decorator(login_not_required, name="dispatch")
class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises the caller may see, with the same filters as the list page."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return Enterprise.objects.visible_to(self.request.user).with_list_relations()
