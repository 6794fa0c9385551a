"""Small helpers shared by the apps' forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms


def match_decimal_choices(form) -> None:
    """Select the stored value of decimal choice fields on an edit form: the database
    gives Decimal("3.0") while the choice is Decimal("3"), and the drop-down showed no
    choice at all (saving then demanded each LEC factor again)."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ChoiceField):
            continue
        value = form.initial.get(name)
        if not isinstance(value, Decimal):
            continue
        choices: Any = field.choices  # a list of (value, label) on a plain ChoiceField
        for key, _label in choices:
            try:
                if key != "" and Decimal(str(key)) == value:
                    form.initial[name] = key
                    break
            except InvalidOperation:
                continue


class EmptyForm(forms.Form):
    """The input of a workflow step that takes none (a confirmation button)."""
