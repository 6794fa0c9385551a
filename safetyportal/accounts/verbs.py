"""The accounts app's audit verbs (collected by safetyportal/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "user.created": _("创建了账号"),
    "user.preferences_changed": _("修改了通知设置"),
    "user.token_issued": _("签发了 API 令牌"),
}
