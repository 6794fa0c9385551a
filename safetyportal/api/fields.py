"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from rest_framework import serializers

from safetyportal.core.scoping import scoped


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related field whose choices (the browsable API's drop-down and the ids it
    accepts) are the rows the requesting user may see through the model's door; an
    out-of-scope id is refused exactly like a missing one. Without a request in the
    serializer's context it accepts nothing."""

    def get_queryset(self):
        request = self.context.get("request")
        return scoped(super().get_queryset(), getattr(request, "user", None))


class ScopedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated foreign-key fields are scoped (see above)."""

    serializer_related_field = ScopedPrimaryKeyRelatedField
