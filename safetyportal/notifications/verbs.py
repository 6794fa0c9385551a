"""The notifications app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "notification.read_all": _("将全部通知标为已读"),
    "notification.preferences_changed": _("修改了通知设置"),
}
