"""The input of raising a failed self-assessment item as a hazard (assessment_views.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RaiseHazardForm(forms.Form):
    """Turning a failed item into a hazard: the rectification deadline."""

    deadline = forms.DateField(
        error_messages={
            "required": _("请填写整改期限（日期）。"),
            "invalid": _("请填写整改期限（日期）。"),
        }
    )
