"""Choices a user may pick from: every related field of a form or serializer goes through
the object type's door, so a drop-down never lists what the user may not see and an
out-of-scope id is refused exactly like a missing one (no existence oracle).

`scoped(queryset, user)` narrows any queryset to what `user` may see:

- a model whose manager has `visible_to(user)` (the one door per object type) is narrowed
  through it;
- a model listed in settings.PORTAL_REFERENCE_MODELS (towns, industries: reference data
  every signed-in user may read) is left as it is for a signed-in user;
- any other model fails closed: ImproperlyConfigured names it, so a new related field
  cannot be added without deciding who may pick which rows.

Forms call `scope_choice_fields(form, user)` at the end of their __init__; serializers use `safetyportal.core.api_fields.ScopedPrimaryKeyRelatedField`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def is_reference_model(model) -> bool:
    return model._meta.label in settings.PORTAL_REFERENCE_MODELS


def has_door(model) -> bool:
    return callable(getattr(model._default_manager, "visible_to", None))


def check_scopable(model) -> None:
    if not (has_door(model) or is_reference_model(model)):
        raise ImproperlyConfigured(
            f"{model._meta.label} has no visible_to(user) door and is not listed in "
            "PORTAL_REFERENCE_MODELS: a related field cannot offer its rows."
        )


def scoped(queryset, user):
    """`queryset` narrowed to the rows `user` may see (nothing for an anonymous user)."""
    model = queryset.model
    check_scopable(model)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if has_door(model):
        visible = model._default_manager.visible_to(user).values("pk")
        return queryset.filter(pk__in=visible)
    return queryset


def scope_choice_fields(form, user) -> None:
    """Narrow every model choice field of `form` to what `user` may see; call it at the
    end of the form's __init__ (after the form set any narrower queryset of its own)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):  # includes the multiple-choice field
            field.queryset = scoped(field.queryset, user)
