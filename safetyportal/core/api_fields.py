"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rest_framework import serializers

from safetyportal.core.dates import PlausibleDate
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
    """A ModelSerializer whose generated foreign-key fields are scoped (see above) and
    whose generated date fields check the plausible range (PlausibleDateField below)."""

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateField:
            field_class = PlausibleDateField
        return field_class, field_kwargs


class PlausibleDateField(serializers.DateField):
    """A date within the plausible range (safetyportal/core/dates.py); `past=True`: not
    after today."""

    def __init__(self, *args, past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.read_only:
            self.validators.append(PlausibleDate(past=past))


class DecimalChoiceField(serializers.ChoiceField):
    """A choice among decimal values (the LEC factors) that accepts the number however it
    is spelt: GET answers 3.0 for Decimal("3.0"), and 3, 3.0, "3" and "3.0" all mean it."""

    def _match(self, value):
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
        return next((key for key in self.choices if Decimal(str(key)) == number), None)

    def to_internal_value(self, data):
        if isinstance(data, bool) or data == "":
            self.fail("invalid_choice", input=data)
        key = self._match(data)
        if key is None:
            self.fail("invalid_choice", input=data)
        return key

    def to_representation(self, value):
        if value in ("", None):
            return value
        key = self._match(value)
        return key if key is not None else value
