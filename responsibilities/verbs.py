"""The responsibilities app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "reminder.published": _("发布了安全提醒"),
}

VERBS |= {
    "duty_list.created": _("创建了责任清单"),
    "duty_list.copied": _("沿用上年责任清单"),
    "duty_item.added": _("添加了责任事项"),
    "duty_item.done": _("完成了责任事项"),
    "duty_item.reopened": _("退回了责任事项"),
}
VERBS.update(
    {
        "interview.drafted": _("登记了约谈"),
        "interview.held": _("记录了约谈纪要"),
        "interview.closed": _("登记了约谈反馈并办结"),
    }
)
VERBS.update({"committee_meeting.recorded": _("记录了专委会会议")})
VERBS.update(
    {
        "appraisal_scheme.saved": _("保存了考核方案"),
        "appraisal_indicator.saved": _("保存了考核指标"),
        "appraisal_round.opened": _("启动了年度考核"),
        "appraisal_round.published": _("公布了年度考核结果"),
        "appraisal_result.computed": _("计算了考核得分"),
        "appraisal_result.recompute": _("重新计算考核得分"),
        "appraisal_result.commented": _("提交了单位自评意见"),
        "appraisal_score.adjusted": _("调整了指标得分"),
        "appraisal_result.reviewed": _("提交了评审意见"),
        "appraisal_result.approved": _("审定了考核结果"),
        "appraisal_result.sent_back": _("退回了考核结果"),
    }
)
