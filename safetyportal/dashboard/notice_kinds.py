"""The composition layer's kinds of notice (collected by safetyportal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

NOTICE_KINDS = {
    "monthly_statistics": _("月度安全生产统计"),
}
