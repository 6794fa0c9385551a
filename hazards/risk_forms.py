from __future__ import annotations

from django import forms

from hazards.risk_models import RiskPoint
from safetyportal.core.forms import match_decimal_choices


class RiskPointForm(forms.ModelForm):
    class Meta:
        model = RiskPoint
        fields = [
            "name",
            "hazard_factors",
            "likelihood",
            "exposure",
            "consequence",
            "control_measures",
            "responsible_person",
            "check_frequency",
        ]
        widgets = {
            "hazard_factors": forms.Textarea(attrs={"rows": 2}),
            "control_measures": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        match_decimal_choices(self)
