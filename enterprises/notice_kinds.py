"""The enterprises app's kinds of notice (collected by safetyportal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

NOTICE_KINDS = {
    "self_assessment": _("企业安全生产自评"),
    "duty_expiry": _("特种作业证、应急预案评估和应急演练到期"),
}
