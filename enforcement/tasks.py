"""The app's Celery tasks, one module per area; imported here so autodiscovery finds them."""

from enforcement.authority.tasks import sync_town_procedure_flags
from enforcement.cases.tasks import remind_case_deadlines, render_case_file
from enforcement.reports.tasks import remind_report_deadlines

__all__ = [
    "remind_case_deadlines",
    "remind_report_deadlines",
    "render_case_file",
    "sync_town_procedure_flags",
]
