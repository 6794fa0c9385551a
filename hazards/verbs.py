"""The hazards app's audit verbs (collected by safetyportal/audit/verbs.py). A label that is
also a button title elsewhere takes the context "audit verb"."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VERBS = {
    "hazard.reported": _("登记了隐患"),
    "hazard.rectification_started": pgettext_lazy("audit verb", "开始整改"),
    "hazard.determined_major": _("认定为重大事故隐患并列入清单"),
    "hazard.assigned": _("下达了交办单"),
    "hazard.progress_recorded": _("登记了整改进展"),
    "hazard.rectification_submitted": _("提交了整改情况"),
    "hazard.closure_applied": pgettext_lazy("audit verb", "申请销号"),
    "hazard.verified": _("核查通过，销号"),
    "hazard.verification_failed": _("核查不通过，退回整改"),
    "hazard.extension_requested": pgettext_lazy("audit verb", "申请延期"),
    "hazard.extension_approved": pgettext_lazy("audit verb", "批准延期"),
    "hazard.extension_refused": pgettext_lazy("audit verb", "不予延期"),
    "hazard.extension_withdrawn": _("撤回了待审批的延期申请"),
    "hazard.voided": _("作废了隐患"),
    "hazard.accountability_recorded": _("登记了问责"),
    "hazard.escalated": _("发出到期提醒或逾期督办"),
    "hazard.explanation_submitted": _("提交了书面说明"),
    "hazard.supervised": _("督办了隐患"),
    "hazard.bulletin_generated": _("生成了重大隐患通报"),
    "risk_point.created": _("登记了风险点"),
    "risk_point.updated": _("修改了风险点"),
    # recorded on the self-assessment by hazards/assessment_services.py
    "assessment.hazard_raised": _("把自评未达标项目转为隐患"),
}
