"""The enforcement app's kinds of notice (collected by safetyportal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

NOTICE_KINDS = {
    "case_deadline": _("行政处罚案件期限"),
    "accident": _("生产安全事故报告"),
    # the whistleblower reports' accept / verify / feedback deadlines (reports/reminders.py);
    # never urgent: the mission names no overdue report as urgent (ADR 0034)
    "report_deadline": _("举报受理、核查、反馈期限提醒"),
}
