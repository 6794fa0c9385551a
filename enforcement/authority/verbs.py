"""Audit verbs of this area (collected by enforcement/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "delegated_item.imported": _("导入了委托执法事项"),
    "town_authorisation.created": _("登记了镇街委托授权"),
    "town_authorisation.updated": _("修改了镇街委托授权"),
    "officer_certificate.registered": _("登记了执法证"),
    "officer_certificate.renewed": _("换发了执法证"),
    "officer_certificate.revoked": _("注销了执法证"),
}
