"""Forms of the cases area: the two create forms and one per workflow step. The services
check the law again (enforcement/rules.py); forms give field-level errors."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.authority.models import DelegatedItem, PartyKind
from enforcement.authority.selectors import certified_officers
from enforcement.cases.models import EvidenceKind, PenaltyKind
from enforcement.permissions import acting_unit_id
from enforcement.pickers import picked_enterprise_field
from enterprises.models import Enterprise
from safetyportal.core.dates import DATE_WIDGET, PlausibleDateField, posted_date


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DelegatedItem) -> str:
        if obj.max_fine is None:
            span = _("仅警告")
        else:
            span = _("罚款 %(min)s–%(max)s 元") % {
                "min": f"{obj.min_fine or 0:,.2f}".rstrip("0").rstrip("."),
                "max": f"{obj.max_fine:,.2f}".rstrip("0").rstrip("."),
            }
        warning = _("，可警告") if obj.allows_warning else ""
        return f"{obj.code} {obj.name}（{span}{warning}）"


class _CaseForm(forms.Form):
    # the field whose date names the officers (a certificate valid on that day)
    day_field = ""

    item = ItemChoiceField(label=_("执法事项"), queryset=DelegatedItem.objects.none())
    # an id from the page's searchable picker (enforcement/pickers.py), within the scope
    enterprise = picked_enterprise_field(
        label=_("当事企业"),
        invalid=_("所选企业不在您的辖区或监管范围内，请重新选择或填写当事人名称。"),
    )
    party_kind = forms.ChoiceField(
        label=_("当事人类型"), choices=PartyKind.choices, initial=PartyKind.ORGANISATION
    )
    party_name = forms.CharField(
        label=_("当事人名称或姓名"),
        max_length=200,
        required=False,
        help_text=_("选择了当事企业时可不填（默认企业名称）。"),
    )
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 3}))
    # plain choices (the unit's certified officers on the case's date), resolved in
    # clean_officers; the service checks rules.officers_refusal again
    officers = forms.TypedMultipleChoiceField(
        label=_("执法人员（持有效执法证）"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("须持有效执法证；一般程序至少两人。"),
        error_messages={
            "invalid_choice": _(
                "所选人员在案件日期没有有效的执法证或不属于本单位，不能作为执法人员，请重新选择。"
            )
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = DelegatedItem.objects.active().select_related(
            "delegating_department"
        )
        # the enterprise through its door; items are the county's list (who may act on
        # which is rules.authority_refusal); officers are the unit's certified officials
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        day = posted_date(self, self.day_field)
        self._officers = {o.pk: o for o in certified_officers(acting_unit_id(user), day)}
        self.fields["officers"].choices = [(pk, str(o)) for pk, o in self._officers.items()]
        if user.pk in self._officers:
            self.fields["officers"].initial = [user.pk]

    def clean_officers(self):
        return [self._officers[pk] for pk in self.cleaned_data["officers"]]

    def clean(self):
        data = super().clean()
        if not data.get("party_name") and not data.get("enterprise"):
            self.add_error("party_name", _("请选择当事企业或填写当事人名称。"))
        return data


class SimpleCaseForm(_CaseForm):
    day_field = "decided_on"
    penalty_kind = forms.ChoiceField(
        label=_("处罚种类"), choices=PenaltyKind.choices, initial=PenaltyKind.FINE
    )
    fine = forms.DecimalField(
        label=_("罚款金额（元）"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("当场罚款：公民不超过 200 元，法人或其他组织不超过 3,000 元。"),
    )
    decided_on = PlausibleDateField(
        label=_("决定日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )


class GeneralCaseForm(_CaseForm):
    day_field = "filed_on"
    filed_on = PlausibleDateField(
        label=_("立案日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )


# --- the steps ---------------------------------------------------------------------------


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("证据种类"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("证据说明"), widget=forms.Textarea(attrs={"rows": 2}))
    collected_on = PlausibleDateField(
        label=_("取证日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
    file = forms.FileField(label=_("附件（照片或 PDF）"), required=False)


class NotifyForm(forms.Form):
    notified_on = PlausibleDateField(
        label=_("告知日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
    penalty_kind = forms.ChoiceField(
        label=_("拟处罚种类"), choices=PenaltyKind.choices, initial=PenaltyKind.FINE
    )
    fine = forms.DecimalField(
        label=_("拟罚款金额（元）"), max_digits=12, decimal_places=2, required=False
    )


class HearingRequestForm(forms.Form):
    requested_on = PlausibleDateField(
        label=_("当事人申请听证日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )


class HearingScheduleForm(forms.Form):
    notice_on = PlausibleDateField(
        label=_("听证通知日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
    hearing_on = PlausibleDateField(
        label=_("举行听证日期"), widget=DATE_WIDGET, help_text=_("须在通知之日起 7 日以后。")
    )


class DecideForm(forms.Form):
    decided_on = PlausibleDateField(
        label=_("决定日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
    penalty_kind = forms.ChoiceField(
        label=_("处罚种类"), choices=PenaltyKind.choices, initial=PenaltyKind.FINE
    )
    fine = forms.DecimalField(
        label=_("罚款金额（元）"), max_digits=12, decimal_places=2, required=False
    )
    hearing_waived = forms.BooleanField(
        label=_("当事人已书面放弃听证（可在申请期限内作出决定）"), required=False
    )


class ServeForm(forms.Form):
    served_on = PlausibleDateField(
        label=_("送达日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )


class PayForm(forms.Form):
    paid_on = PlausibleDateField(
        label=_("缴款日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )


class CloseForm(forms.Form):
    closed_on = PlausibleDateField(
        label=_("结案日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
