"""The vocabulary of audit verbs and how each reads (translated, after the actor's name).

Verbs are namespaced ("hazard.verified"); each app registers its own labels here in one
dictionary so the history include can say what happened in plain words. A label that
is also a button title elsewhere (开始整改, 申请延期) takes the context "audit verb"
(`pgettext_lazy`), so English can read "started rectification" after a name. An unknown verb
still renders (as itself), so an old event never breaks a page.
"""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    # accounts
    "user.created": _("创建了账号"),
    "user.preferences_changed": _("修改了通知设置"),
    "user.token_issued": _("签发了 API 令牌"),
    # enterprises
    "enterprise.registered": _("登记了企业"),
    "enterprise.updated": _("修改了企业信息"),
    "enterprise.expert_granted": _("授权专家查看企业"),
    "enterprise.expert_revoked": _("撤销了专家的查看授权"),
    # responsibilities
    "reminder.published": _("发布了安全提醒"),
    # notifications
    "notification.read_all": _("将全部通知标为已读"),
}


def label_for(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))


def register(labels: dict) -> None:
    """Let a domain app add its verbs (called from the app's AppConfig.ready)."""
    VERB_LABELS.update(labels)
