"""The responsibilities app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "reminder.published": _("发布了安全提醒"),
}

VERBS.update(
    {
        "interview.drafted": _("登记了约谈"),
        "interview.held": _("记录了约谈纪要"),
        "interview.closed": _("登记了约谈反馈并办结"),
    }
)
