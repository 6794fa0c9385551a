"""Audit verbs of this area (collected by enforcement/verbs.py). No payload of these ever
holds the reporter's identity."""

from django.utils.translation import gettext_lazy as _

VERBS: dict = {
    "report.received": _("收到举报"),
    "report.accepted": _("受理了举报"),
    "report.rejected": _("不予受理举报"),
    "report.assigned": _("交办了举报"),
    "report.extended": _("延长了举报核查期限"),
    "report.verified": _("登记了举报核查结果"),
    "report.feedback_given": _("向举报人反馈"),
    "report.merged": _("合并了重复举报"),
    "report.converted": _("把举报转为隐患或案件"),
    "report.reward_computed": _("核算了举报奖励"),
    "report.reward_approved": _("审批了举报奖励"),
    "report.reward_paid": _("登记了举报奖励发放"),
    "report.identity_revealed": _("查看了举报人身份"),
    "report.reveal_granted": _("授权查看举报人身份"),
    "report.reveal_revoked": _("撤销查看举报人身份的授权"),
    "report.keys_rotated": _("轮换了举报人身份加密密钥"),
}
