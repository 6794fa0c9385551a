"""The enforcement app's kinds of notice (collected by safetyportal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

NOTICE_KINDS = {
    "case_deadline": _("行政处罚案件期限"),
    "accident": _("生产安全事故报告"),
}
