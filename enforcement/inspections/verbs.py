"""Audit verbs of this area (collected by enforcement/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "inspection.logged": _("登记了执法检查"),
    "inspection.finding_added": _("登记了检查发现的问题"),
    "inspection.acknowledged": _("登记了被检查单位签字情况"),
    "inspection.submitted": _("提交了执法检查记录"),
    "inspection.finding_to_hazard": _("将检查发现的问题转为隐患"),
}
