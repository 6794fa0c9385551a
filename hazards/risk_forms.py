from __future__ import annotations

from django import forms

from hazards.risk_models import RiskPoint


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
