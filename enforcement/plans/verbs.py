"""Audit verbs of this area (collected by enforcement/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS: dict = {
    "plan.created": _("制定了年度执法检查计划"),
    "plan.targets_added": _("添加了计划检查对象"),
    "plan.target_changed": _("修改了计划检查对象"),
    "plan.target_removed": _("删除了计划检查对象"),
    "pairing.created": _("登记了一对一包联"),
    "pairing.changed": _("修改了一对一包联"),
    "pairing.removed": _("删除了一对一包联"),
    "pairing.visit_recorded": _("登记了包联指导记录"),
}
