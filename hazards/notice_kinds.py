"""The hazards app's kinds of notice (collected by safetyportal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

NOTICE_KINDS = {
    "hazard": _("隐患整改、到期提醒与逾期督办"),
    "hazard_statistics": _("隐患排查治理统计报送"),
}
