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
