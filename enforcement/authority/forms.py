"""Forms of the legal frame's pages (their writes go through authority/services.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enforcement.authority.models import DelegatedItem, Procedure
from enforcement.permissions import may_hold_certificate
from responsibilities.models import Organisation
from safetyportal.accounts.models import User
from safetyportal.core.dates import DATE_WIDGET, PlausibleDateField
from safetyportal.core.scoping import scope_choice_fields

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ItemImportForm(forms.Form):
    file = forms.FileField(
        label=_("事项清单（.xlsx）"),
        help_text=_("请使用下载的模板；按事项编码导入，已有的事项会被更新。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件不能超过 5 MB。"))
        return upload


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或编码"), required=False, max_length=100)
    department = forms.ModelChoiceField(
        label=_("委托机关"), queryset=Organisation.objects.departments(), required=False
    )
    procedure = forms.ChoiceField(
        label=_("适用程序"), choices=[("", _("全部")), *Procedure.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Organisation.objects.departments().filter(delegated_items__isnull=False).distinct()
        )
        scope_choice_fields(self, user)


def item_choices() -> list[tuple[int, str]]:
    return [
        (pk, f"{code} {name}（{dept}）")
        for pk, code, name, dept in DelegatedItem.objects.active()
        .order_by("sort_order", "code")
        .values_list("pk", "code", "name", "delegating_department__short_name")
    ]


class AuthorisationForm(forms.Form):
    town = forms.ModelChoiceField(label=_("镇街"), queryset=Organisation.objects.towns())
    document_number = forms.CharField(
        label=_("委托书文号"), max_length=100, help_text=_("例如：澧政发〔2025〕12号")
    )
    procedure_level = forms.ChoiceField(
        label=_("可适用程序"), choices=Procedure.choices, widget=forms.RadioSelect
    )
    valid_from = PlausibleDateField(label=_("委托起始日"), widget=DATE_WIDGET)
    valid_until = PlausibleDateField(label=_("委托截止日"), widget=DATE_WIDGET)
    items = forms.TypedMultipleChoiceField(
        label=_("委托事项"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请至少选择一项委托执法事项。")},
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices()
        if editing:
            del self.fields["town"]
        else:
            self.fields["town"].queryset = (
                Organisation.objects.towns().active().order_by("sort_order", "code")
            )
        scope_choice_fields(self, user)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and start > end:
            self.add_error("valid_until", _("委托截止日不能早于起始日。"))
        return data

    def chosen_items(self):
        return list(DelegatedItem.objects.filter(pk__in=self.cleaned_data["items"]))


def certificate_holders() -> list[User]:
    """The people who may hold an enforcement certificate (town and department staff)."""
    officers = (
        User.objects.filter(is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation__code", "display_name", "username")
    )
    return [user for user in officers if may_hold_certificate(user)]


class CertificateForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("执法人员"), coerce=int)
    number = forms.CharField(label=_("执法证号"), max_length=50)
    issued_on = PlausibleDateField(label=_("发证日期"), widget=DATE_WIDGET, past=True)
    expires_on = PlausibleDateField(label=_("有效期至"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._holders = {user.pk: user for user in certificate_holders()}
        self.fields["officer"].choices = [
            ("", "---------"),
            *((pk, f"{user.organisation.name} · {user}") for pk, user in self._holders.items()),
        ]

    def clean_officer(self) -> User:
        return self._holders[self.cleaned_data["officer"]]

    def clean(self):
        data = super().clean()
        if (
            data.get("issued_on")
            and data.get("expires_on")
            and data["issued_on"] > data["expires_on"]
        ):
            self.add_error("expires_on", _("有效期至不能早于发证日期。"))
        return data


class RenewForm(forms.Form):
    issued_on = PlausibleDateField(label=_("换发日期"), widget=DATE_WIDGET, past=True)
    expires_on = PlausibleDateField(label=_("新的有效期至"), widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if (
            data.get("issued_on")
            and data.get("expires_on")
            and data["issued_on"] > data["expires_on"]
        ):
            self.add_error("expires_on", _("有效期至不能早于换发日期。"))
        return data
