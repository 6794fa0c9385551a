"""Audit verbs of this area (collected by enforcement/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS: dict = {
    "enforcement.case_published": _("公开曝光案件"),
    "enforcement.case_withdrawn": _("撤回曝光案件"),
}
