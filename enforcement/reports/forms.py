"""Forms of whistleblower reports: the public form (no login), the receipt lookup, and one
form per handling step."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from enforcement.accidents.models import AccidentGrade
from enforcement.authority.models import DelegatedItem
from enforcement.authority.selectors import certified_officers
from enforcement.cases.forms import ItemChoiceField
from enforcement.permissions import acting_unit_id
from enforcement.reports.files import clean_report_file
from enforcement.reports.models import Outcome, Report, ReportKind, ReportStatus, RewardBasis
from enterprises.models import Enterprise
from hazards.forms import MultipleFileInput
from responsibilities.models import Organisation, OrganisationKind
from safetyportal.accounts.models import Role, User
from safetyportal.core.dates import DATE_WIDGET, PlausibleDateField

# markup in a text field: a tag, a script: URL or an event handler; refused with a message
# (the pages escape everything anyway; a report is evidence, kept as the reporter typed it)
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript\s*:|\bon[a-z]+\s*=", re.IGNORECASE)


def no_markup(value: str) -> None:
    if value and MARKUP.search(value):
        raise ValidationError(
            _("内容不能包含网页代码或脚本（如 <script>、尖括号标签），请用文字描述。"),
            code="markup",
        )


def text(label, *, max_length, required=True, textarea=False, help_text="", missing=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={"required": missing} if missing else None,
        validators=[no_markup],
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else None,
    )


class ReportFilesField(forms.FileField):
    """Photos or PDF, each checked by content and re-written without metadata."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.heic,.pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > settings.REPORT_MAX_FILES:
            raise ValidationError(
                _t("最多上传 %(n)s 个文件，请删减后再提交。") % {"n": settings.REPORT_MAX_FILES}
            )
        errors = []
        for upload in files:
            try:
                clean_report_file(upload)
            except ValidationError as error:
                errors.extend(error.messages)
            finally:
                upload.seek(0)
        if errors:
            raise ValidationError(errors)
        return list(files)


class PublicReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("举报类型"), choices=ReportKind.choices)
    enterprise_name = text(
        _("被举报单位"),
        max_length=200,
        help_text=_("输入单位名称，可从提示中选择；不知道全称时填写能识别的名称。"),
        missing=_("被举报单位为必填项：不知道全称时，填写能识别的名称或字号。"),
    )
    location = text(
        _("地点"),
        max_length=200,
        help_text=_("如：某镇某村某厂区仓库"),
        missing=_("地点为必填项：写明镇街、村（社区）和具体位置。"),
    )
    description = text(
        _("举报内容"),
        max_length=5000,
        textarea=True,
        help_text=_("发生了什么、涉及哪些人员或设备、持续多久。"),
        missing=_("举报内容为必填项：请描述发生了什么。"),
    )
    happened_on = PlausibleDateField(
        label=_("发现或发生日期"), widget=DATE_WIDGET, required=False, past=True
    )
    files = ReportFilesField(
        label=_("照片或文件"),
        help_text=_("可选，最多 5 个 JPEG/PNG/HEIC 图片或 PDF；图片的拍摄地点等信息会被自动清除。"),
    )
    anonymous = forms.BooleanField(
        label=_("匿名举报（不留姓名和联系方式）"),
        required=False,
        help_text=_("匿名举报同样受理，凭查询码查看进度；但无法联系您核实情况或发放奖励。"),
    )
    name = text(_("姓名"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^\+?[\d\s-]{7,20}$",
        required=False,
        help_text=_("只用于核实情况和发放奖励，加密保存。"),
        error_messages={"invalid": _("请输入正确的电话号码（数字，可含空格或短横线）。")},
    )
    contact = text(
        _("其他联系方式"),
        max_length=200,
        required=False,
        help_text=_("如电子邮箱、通信地址；可不填。"),
    )
    is_whistleblower = forms.BooleanField(
        label=_("我是被举报单位的职工或其家属（吹哨人）"),
        required=False,
        help_text=_("身份同样加密保护；本县实行吹哨人奖励上浮的，经查属实后按规定上浮。"),
    )
    relation = text(
        _("与被举报单位的关系"),
        max_length=100,
        required=False,
        help_text=_("如：车间工人、外包人员、家属；可不填。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("anonymous"):
            for name in ("name", "phone", "contact", "relation"):
                data[name] = ""
            data["is_whistleblower"] = False
        elif not (data.get("name") or data.get("phone") or data.get("contact") or self.errors):
            self.add_error(
                "anonymous",
                _t("请勾选“匿名举报”，或至少填写姓名、电话、联系方式中的一项。"),
            )
        return data


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40)


# --- handling steps --------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("受理意见"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("不予受理理由（将告知举报人）"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=Organisation.objects.filter(
            kind__in=[
                OrganisationKind.DEPARTMENT,
                OrganisationKind.TOWN,
                OrganisationKind.SUBDISTRICT,
            ]
        ).order_by("kind", "code"),
    )
    note = forms.CharField(label=_("交办意见"), max_length=1000, required=False)

    def __init__(self, *args, suggestion=None, **kwargs):
        super().__init__(*args, **kwargs)
        if suggestion is not None:
            self.fields["unit"].initial = suggestion.pk
            self.fields["unit"].help_text = _t("按监管责任图建议：%(unit)s") % {
                "unit": suggestion.name
            }


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("延长天数"),
        min_value=1,
        max_value=365,
        initial=30,
        help_text=_("最多 30 日，只能延长一次。"),
    )
    reason = forms.CharField(
        label=_("延期理由（将告知举报人）"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("核查结论"), choices=Outcome.choices)
    findings = forms.CharField(
        label=_("核查情况（内部，不告知举报人）"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    enterprise = forms.ModelChoiceField(
        label=_("被举报企业（登记名录中的企业 id）"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.NumberInput,
        help_text=_("举报时未能对应到名录企业时，在此填写企业 id。"),
        error_messages={"invalid_choice": _("所填企业不在您的监管范围内。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("反馈内容（举报人凭查询码可见）"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("合并到举报（编号）"),
        queryset=Report.objects.none(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("所填举报不存在，或已合并、已驳回。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # the reports the user sees, through their door, that can still take a duplicate
        self.fields["into"].queryset = Report.objects.visible_to(user).exclude(
            status__in=[ReportStatus.MERGED, ReportStatus.REJECTED]
        )


class HazardForm(forms.Form):
    location = forms.CharField(label=_("隐患部位"), max_length=200)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = PlausibleDateField(label=_("整改期限"), widget=DATE_WIDGET)
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50)


class CaseForm(forms.Form):
    item = ItemChoiceField(label=_("执法事项"), queryset=DelegatedItem.objects.none())
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 2}))
    # plain choices (the unit's officers certified today), resolved in clean_officers, as
    # on the case forms (enforcement/cases/forms.py): users have no door of their own
    officers = forms.TypedMultipleChoiceField(
        label=_("执法人员（持有效执法证，至少两人）"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选人员今天没有有效的执法证或不属于本单位。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = DelegatedItem.objects.active()
        self._officers = {
            o.pk: o for o in certified_officers(acting_unit_id(user), timezone.localdate())
        }
        self.fields["officers"].choices = [(pk, str(o)) for pk, o in self._officers.items()]

    def clean_officers(self):
        return [self._officers[pk] for pk in self.cleaned_data["officers"]]


class RewardForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("计算方式"),
        choices=[c for c in RewardBasis.choices if c[0] != RewardBasis.WHISTLEBLOWER],
    )
    fine = forms.DecimalField(
        label=_("罚没款（元）"), max_digits=12, decimal_places=2, required=False
    )
    deaths = forms.IntegerField(label=_("瞒报死亡人数"), min_value=1, required=False)
    accident_grade = forms.ChoiceField(
        label=_("事故等级"), choices=AccidentGrade.choices, required=False
    )


class PayForm(forms.Form):
    paid_on = PlausibleDateField(
        label=_("发放日期"), widget=DATE_WIDGET, initial=timezone.localdate, past=True
    )
    payment_reference = forms.CharField(label=_("发放凭证号"), max_length=60, required=False)


# --- grants to reveal the reporter (the county office's page) ---------------------------------


def grantee_label(user) -> str:
    unit = user.organisation.name if user.organisation_id else _t("无单位")
    return f"{user}（{unit}，{user.username}）"


class RevealGrantForm(forms.Form):
    """Give one named official the right to reveal the reporter of one report, or of every
    report one unit handles (domain-notes §6.3: the smallest circle, by name)."""

    scope = forms.ChoiceField(
        label=_("授权范围"),
        choices=[("report", _("单条举报")), ("unit", _("某单位承办的全部举报"))],
        initial="report",
        widget=forms.RadioSelect,
        help_text=_("按单条举报授权范围最小；按单位授权对该单位今后承办的举报同样有效。"),
    )
    # plain choices set per form (users have no door of their own), resolved in clean_user
    user = forms.TypedChoiceField(
        label=_("被授权人"),
        coerce=int,
        help_text=_("只能授权给县安委办、部门或镇街的在职人员。"),
    )
    report = forms.IntegerField(
        label=_("举报编号"),
        required=False,
        min_value=1,
        help_text=_("按单条举报授权时填写（举报详情页标题中的编号）。"),
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        required=False,
        queryset=Organisation.objects.filter(
            kind__in=[
                OrganisationKind.OFFICE,
                OrganisationKind.DEPARTMENT,
                OrganisationKind.TOWN,
                OrganisationKind.SUBDISTRICT,
            ]
        ).order_by("kind", "code"),
        help_text=_("按单位授权时选择。"),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        # the page is the county office's only (views check it): every serving official
        self._grantees = {
            user.pk: user
            for user in User.objects.filter(
                is_active=True, role__in=[Role.COUNTY_OFFICE, Role.DEPARTMENT, Role.TOWN]
            )
            .select_related("organisation")
            .order_by("organisation__kind", "organisation__code", "username")
        }
        self.fields["user"].choices = [("", "---------")] + [
            (pk, grantee_label(user)) for pk, user in self._grantees.items()
        ]

    def clean_user(self):
        return self._grantees[self.cleaned_data["user"]]

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == "report":
            number = data.get("report")
            if not number:
                self.add_error("report", _t("按单条举报授权时请填写举报编号。"))
            else:
                found = Report.objects.visible_to(self.actor).filter(pk=number).first()
                if found is None:
                    self.add_error(
                        "report", _t("没有编号为 %(n)s 的举报，请核对。") % {"n": number}
                    )
                data["report"] = found
            data["unit"] = None
        elif scope == "unit":
            if data.get("unit") is None:
                self.add_error("unit", _t("按单位授权时请选择承办单位。"))
            data["report"] = None
        return data
