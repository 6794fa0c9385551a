"""The responsibilities app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "reminder.published": _("发布了安全提醒"),
}
