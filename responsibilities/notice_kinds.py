"""The responsibilities app's kinds of notice (collected by safetyportal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

NOTICE_KINDS = {
    "safety_reminder": _("每周安全提醒"),
    "duty_item": _("责任清单事项到期"),
}
