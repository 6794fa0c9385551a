"""API of this area: (prefix, viewset, basename) triples registered by safetyportal/api/urls.py.

Read-only: the delegated items' catalogue and the towns' delegations, with the pages'
permissions (officials read the catalogue; the county office and leaders every
delegation, a town its own, a department those holding its items)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from enforcement.authority.models import DelegatedItem, TownAuthorisation
from enforcement.permissions import (
    authorisations_visible_to,
    authority_refusal,
    get_authorisation_for_user,
    get_item_for_user,
    visible_item_filter,
)


class DelegatedItemSerializer(serializers.ModelSerializer):
    delegating_department_code = serializers.CharField(
        source="delegating_department.code", read_only=True
    )
    delegating_department_name = serializers.CharField(
        source="delegating_department.name", read_only=True
    )

    class Meta:
        model = DelegatedItem
        fields = [
            "id",
            "code",
            "name",
            "delegating_department",
            "delegating_department_code",
            "delegating_department_name",
            "legal_basis",
            "penalty_basis",
            "allows_warning",
            "min_fine",
            "max_fine",
            "allows_simple",
            "allows_general",
            "is_active",
        ]
        read_only_fields = fields


@method_decorator(login_not_required, name="dispatch")
class DelegatedItemViewSet(viewsets.ReadOnlyModelViewSet):
    """委托执法事项: the catalogue of items the county departments delegate to the towns."""

    serializer_class = DelegatedItemSerializer
    queryset = DelegatedItem.objects.none()

    def get_queryset(self):
        reason = authority_refusal(self.request.user, "view_catalogue")
        if reason:
            raise PermissionDenied(reason)
        return (
            DelegatedItem.objects.active()
            .select_related("delegating_department")
            .order_by("sort_order", "code")
        )

    def get_object(self):
        return get_item_for_user(self.request.user, self.kwargs["pk"])


class TownAuthorisationSerializer(serializers.ModelSerializer):
    town_code = serializers.CharField(source="town.code", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    items = serializers.SerializerMethodField()

    class Meta:
        model = TownAuthorisation
        fields = [
            "id",
            "town",
            "town_code",
            "town_name",
            "document_number",
            "procedure_level",
            "valid_from",
            "valid_until",
            "items",
            "note",
        ]
        read_only_fields = fields

    def get_items(self, obj) -> list[str]:
        """The codes of the delegated items the caller may see (a department: its own)."""
        request = self.context.get("request")
        user = request.user if request else None
        return [item.code for item in obj.items.all()] if user else []


@method_decorator(login_not_required, name="dispatch")
class TownAuthorisationViewSet(viewsets.ReadOnlyModelViewSet):
    """镇街委托授权: each town's written delegation, its procedure level, validity and the
    codes of its items."""

    serializer_class = TownAuthorisationSerializer
    queryset = TownAuthorisation.objects.none()

    def get_queryset(self):
        reason = authority_refusal(self.request.user, "view_authorisations")
        if reason:
            raise PermissionDenied(reason)
        items = DelegatedItem.objects.filter(visible_item_filter(self.request.user)).order_by(
            "sort_order", "code"
        )
        return (
            authorisations_visible_to(self.request.user)
            .select_related("town")
            .prefetch_related(Prefetch("items", queryset=items))
            .order_by("town__sort_order", "town__code", "-valid_from", "id")
        )

    def get_object(self):
        return get_authorisation_for_user(self.request.user, self.kwargs["pk"])


ROUTES: list = [
    ("enforcement/items", DelegatedItemViewSet, "enforcement-item"),
    ("enforcement/authorisations", TownAuthorisationViewSet, "enforcement-authorisation"),
]
