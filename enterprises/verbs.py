"""The enterprises app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "enterprise.registered": _("登记了企业"),
    "enterprise.updated": _("修改了企业信息"),
    "enterprise.expert_granted": _("授权专家查看企业"),
    "enterprise.expert_revoked": _("撤销了专家的查看授权"),
    "enterprise.duty_added": _("填报了法定职责记录"),
    "enterprise.duty_removed": _("删除了法定职责记录"),  # before ADR 0046: records are voided
    "enterprise.duty_voided": _("作废了法定职责记录"),
    "enterprise.imported": _("导入了企业名录"),
    "assessment.started": _("开始了安全生产自评"),
    "assessment.saved": _("保存了自评草稿"),
    "assessment.submitted": _("提交了安全生产自评"),
    "assessment.accepted": _("审核通过了自评"),
    "assessment.returned": _("退回了自评"),
}
