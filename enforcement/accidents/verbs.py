"""Audit verbs of this area (collected by enforcement/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "accident.reported": _("报告生产安全事故"),
    "accident.supplemented": _("补报事故伤亡情况"),
    "accident.investigation_started": _("成立事故调查组"),
    "accident.investigation_extended": _("延长事故调查期限"),
    "accident.report_submitted": _("提交事故调查报告"),
    "accident.decided": _("批复事故调查报告"),
    "accident.closed": _("事故结案"),
}
