"""Audit verbs of this area (collected by enforcement/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS: dict = {
    "case.simple_decided": _("作出当场处罚决定"),
    "case.filed": _("立案"),
    "case.evidence_added": _("登记了证据"),
    "case.notified": _("告知拟处罚及权利"),
    "case.hearing_requested": _("登记了听证申请"),
    "case.hearing_scheduled": _("安排了听证"),
    "case.decided": _("作出处罚决定"),
    "case.served": _("送达了处罚决定书"),
    "case.paid": _("登记了罚款缴纳"),
    "case.closed": _("结案"),
    "case.file_requested": _("申请生成案卷 PDF"),
}
