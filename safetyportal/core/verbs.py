"""The core app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "schedule.changed": _("修改了定时任务"),
}
