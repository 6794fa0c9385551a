"""Derive a DRF serializer from a Django form, so a step's input is declared once.

Covered form fields: CharField, DateField, DecimalField, IntegerField, BooleanField,
TypedChoiceField (a "1"/"0" choice coerced to bool becomes a boolean), ChoiceField,
ModelChoiceField (its queryset scoped per request: the form is built with the step's
form kwargs and its querysets copied), FileField and a FileField whose widget allows
several files (a list of files). The form's validators, its file checks and its clean()
run on the API input too, so both doors accept and refuse the same input.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.utils import ErrorDict
from rest_framework import serializers

_CACHE: dict[tuple[type, str], type[FormSerializer]] = {}


def _common(field: forms.Field) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"label": field.label, "help_text": field.help_text or None}
    initial = field.initial
    if not field.required:
        kwargs["required"] = False
    elif initial is not None:
        # a required form field with an initial value (e.g. today): the API defaults to it
        kwargs["default"] = initial
    return kwargs


def _choices(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    return list(cast(Any, field.choices))


def _is_boolean_choice(field: forms.TypedChoiceField) -> bool:
    keys = {str(key) for key, _label in _choices(field)}
    return keys == {"1", "0"} and field.coerce("1") is True and field.coerce("0") is False


def serializer_field(field: forms.Field) -> serializers.Field:
    """The DRF field for one form field (TypeError for a field type not covered)."""
    kwargs = _common(field)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.PrimaryKeyRelatedField(queryset=field.queryset, many=True, **kwargs)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.PrimaryKeyRelatedField(queryset=field.queryset, **kwargs)
    if isinstance(field, forms.FileField):
        if getattr(field.widget, "allow_multiple_selected", False):
            kwargs.pop("required", None)
            return serializers.ListField(
                child=serializers.FileField(), required=False, default=list, **kwargs
            )
        return serializers.FileField(**kwargs)
    if isinstance(field, forms.MultipleChoiceField):
        choices = _choices(field)
        if choices:
            return serializers.MultipleChoiceField(choices=choices, **kwargs)
        # choices set per request in the form's __init__ (e.g. the unit's certified
        # officers): a list of ids here, checked against the form's choices in validate()
        child: serializers.Field = (
            serializers.IntegerField()
            if getattr(field, "coerce", None) is int
            else serializers.CharField()
        )
        return serializers.ListField(child=child, **kwargs)
    if isinstance(field, forms.TypedChoiceField) and _is_boolean_choice(field):
        return serializers.BooleanField(**kwargs)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=_choices(field), **kwargs)
    if isinstance(field, forms.BooleanField):
        kwargs.pop("required", None)
        return serializers.BooleanField(default=False, **kwargs)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**kwargs)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**kwargs)
    if isinstance(field, forms.IntegerField):  # DecimalField is one too
        limits: dict[str, Any] = {"min_value": field.min_value, "max_value": field.max_value}
        if isinstance(field, forms.DecimalField):
            return serializers.DecimalField(
                max_digits=field.max_digits,
                decimal_places=field.decimal_places,
                **limits,
                **kwargs,
            )
        return serializers.IntegerField(**limits, **kwargs)
    if isinstance(field, forms.CharField):
        if not field.required:
            kwargs.setdefault("default", "")
            kwargs["allow_blank"] = True
        return serializers.CharField(max_length=field.max_length, **kwargs)
    raise TypeError(f"no serializer field for {type(field).__name__}")


class FormSerializer(serializers.Serializer):
    """Base of derived serializers; `form_class` is set on each subclass.

    context["form_kwargs"] (e.g. {"user": ...}) builds the form for scoped querysets."""

    form_class: type[forms.Form] = forms.Form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._form: forms.Form | None = None
        if "form_kwargs" not in self.context:
            return  # described, not validated (the schema generator)
        self._form = self.form_class(**self.context["form_kwargs"])
        for name, drf_field in self.fields.items():
            form_field = self._form.fields.get(name)
            if isinstance(form_field, forms.ModelChoiceField):
                drf_field.queryset = form_field.queryset  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self._form is None:
            raise TypeError("validating a FormSerializer needs context['form_kwargs']")
        errors: dict[str, list[str]] = {}
        cleaned: dict[str, Any] = dict(attrs)
        for name, form_field in self._form.fields.items():
            if name not in attrs:
                continue
            try:
                if isinstance(form_field, forms.FileField):
                    cleaned[name] = form_field.clean(attrs[name])
                elif isinstance(form_field, forms.MultipleChoiceField):
                    # the form's per-request choices, and its coercion
                    cleaned[name] = form_field.clean([str(value) for value in attrs[name]])
                else:
                    form_field.run_validators(attrs[name])
            except DjangoValidationError as error:
                errors[name] = error.messages
        # the form's clean_<field>() hooks, as Django runs them after each field's clean()
        form_hooks: Any = self._form
        form_hooks.cleaned_data = cleaned
        for name in list(cleaned):
            hook = getattr(form_hooks, f"clean_{name}", None)
            if hook is None or name in errors:
                continue
            try:
                cleaned[name] = hook()
            except DjangoValidationError as error:
                errors[name] = error.messages
        if errors:
            raise serializers.ValidationError(errors)
        # the form's own clean() (cross-field rules), on the typed values: Django's
        # Form._clean_form, which reports through add_error into _errors
        form: Any = self._form
        form.cleaned_data = cleaned
        form._errors = ErrorDict()
        form._clean_form()
        if form._errors:
            raise serializers.ValidationError(
                {
                    ("detail" if key == "__all__" else key): list(value)
                    for key, value in form._errors.items()
                }
            )
        return form.cleaned_data


def serializer_for(form_class: type[forms.Form], name: str) -> type[FormSerializer]:
    """The serializer derived from `form_class` (one class per form and name)."""
    key = (form_class, name)
    if key not in _CACHE:
        attrs: dict[str, Any] = {
            field_name: serializer_field(field)
            for field_name, field in form_class.base_fields.items()
        }
        attrs["form_class"] = form_class
        attrs["__module__"] = form_class.__module__
        _CACHE[key] = cast(type[FormSerializer], type(name, (FormSerializer,), attrs))
    return _CACHE[key]
