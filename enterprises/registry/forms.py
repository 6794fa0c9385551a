from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises import permissions as enterprises_rules
from enterprises.registry.models import Enterprise
from enterprises.registry.phone import normalise_phone, validate_phone
from enterprises.registry.services import REGISTRY_FIELDS
from enterprises.registry.uscc import normalise_uscc
from responsibilities.models import Industry, Organisation
from safetyportal.core.scoping import scope_choice_fields


class USCCField(forms.CharField):
    """Normalises before the length check: codes are often typed in lower case or pasted
    with spaces ("9143 0723 ...")."""

    def to_python(self, value):
        return normalise_uscc(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)  # let a code with spaces be pasted; checked on submit
        return attrs


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = REGISTRY_FIELDS
        field_classes = {"uscc": USCCField}
        widgets = {"address": forms.TextInput()}

    def __init__(self, *args, user, **kwargs):
        """The towns and industries `user` may choose: a town official only their own town
        (enterprises.permissions.pinned_town_id), anyone else any active town."""
        super().__init__(*args, **kwargs)
        pinned_town_id = enterprises_rules.pinned_town_id(user)
        self.fields["town"].queryset = Organisation.objects.towns().active()
        self.fields["industry"].queryset = Industry.objects.active()
        if pinned_town_id is not None:
            self.fields["town"].queryset = Organisation.objects.filter(pk=pinned_town_id)
            self.fields["town"].initial = pinned_town_id
            self.fields["town"].disabled = True
        scope_choice_fields(self, user)

    def clean_uscc(self):
        code = normalise_uscc(self.cleaned_data["uscc"])
        clash = Enterprise.objects.filter(uscc=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("该统一社会信用代码已登记，请勿重复登记。"))
        return code

    def clean_principal_phone(self):
        phone = normalise_phone(self.cleaned_data["principal_phone"])
        if phone:
            validate_phone(phone)
        return phone

    def registry_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in REGISTRY_FIELDS}
