"""Forms of the county office's duty-list pages: a unit's list for a year, an item, and
copying a list into a later year."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from responsibilities.models import TOWN_LEVEL_KINDS, Industry, Organisation, OrganisationKind
from safetyportal.core.dates import PlausibleDateField

_YEAR = {
    "min_value": 2000,
    "max_value": 2100,
    "error_messages": {
        "min_value": _("年度须在 2000 至 2100 之间。"),
        "max_value": _("年度须在 2000 至 2100 之间。"),
        "invalid": _("请填写有效的年度。"),
        "required": _("请填写年度。"),
    },
}


def duty_owners():
    """The units that keep a duty list: the departments and the 镇街."""
    return Organisation.objects.active().filter(
        Q(kind=OrganisationKind.DEPARTMENT) | Q(kind__in=TOWN_LEVEL_KINDS)
    )


class DutyListForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), **_YEAR)
    owner = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("请选择责任单位。"),
            "invalid_choice": _("请选择有效的责任单位。"),
        },
    )
    owner_person = forms.CharField(label=_("责任人"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = duty_owners().order_by("sort_order", "code")


class DutyItemForm(forms.Form):
    content = forms.CharField(
        label=_("责任内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写责任内容。")},
    )
    legal_basis = forms.CharField(label=_("依据"), max_length=300, required=False)
    frequency = forms.CharField(label=_("频次"), max_length=50, required=False)
    deadline = PlausibleDateField(
        label=_("完成时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的日期。")},
    )
    industry = forms.ModelChoiceField(
        label=_("行业领域（监管责任图）"),
        queryset=Industry.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择有效的行业领域。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True)


class DutyCopyForm(forms.Form):
    year = forms.IntegerField(label=_("新年度"), **_YEAR)


def check_portal_link(value: str) -> None:
    """A link to a record of this portal: a path such as /enforcement/inspections/12/ (a
    full address of this site is accepted as its path), which opens one of its pages."""
    if portal_path(value) is None:
        raise forms.ValidationError(
            _("请填写本平台记录页面的链接，例如 /enforcement/inspections/12/。"),
            code="not_portal",
        )


def portal_path(value: str) -> str | None:
    """The path of `value` when it opens a page of this portal (a path, or an address on
    one of the site's own hosts), else None."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.http.request import split_domain_port, validate_host
    from django.urls import Resolver404, resolve

    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
        return None
    if parts.netloc or parts.scheme:
        host, _port = split_domain_port(parts.netloc)
        if not host or not validate_host(host, [h for h in settings.ALLOWED_HOSTS if h != "*"]):
            return None
    if parts.path.startswith("//"):
        return None
    try:
        resolve(parts.path)
    except Resolver404:
        return None
    return parts.path


class DutyDoneForm(forms.Form):
    """Marking an item done: the date, and evidence (a note, a document, or a link to a
    portal record such as an inspection or a meeting; at least one)."""

    done_on = PlausibleDateField(
        label=_("完成日期"),
        help_text=_("不填为今天。"),
        past=True,
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的日期。")},
    )
    evidence_note = forms.CharField(
        label=_("完成情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(
        label=_("佐证材料（照片、PDF、Word 或 Excel）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}),
    )
    evidence_link = forms.CharField(
        label=_("佐证记录链接（如检查记录、会议记录页面）"),
        max_length=300,
        required=False,
        validators=[check_portal_link],
    )

    def clean(self):
        data = super().clean()
        has_note = bool((data.get("evidence_note") or "").strip())
        if not (has_note or data.get("evidence_file") or (data.get("evidence_link") or "").strip()):
            self.add_error(
                "evidence_note", _("请填写完成情况说明、上传佐证材料或填写佐证记录链接。")
            )
        return data


class DutyReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写退回原因。")},
    )
