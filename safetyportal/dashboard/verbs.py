"""The composition layer's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "report.requested": _("申请生成报告"),
    "report.regenerated": _("申请重新生成报告（替换已存文件）"),
    "report.generated": _("生成并保存了报告文件"),
    "report.failed": _("报告生成失败"),
    "report.drafted": _("拟制了通报草稿"),
    "report.issued": _("签发了通报"),
}
