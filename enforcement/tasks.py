"""Celery discovers tasks in <app>.tasks: the areas' task modules, gathered here."""

from enforcement.cases.tasks import remind_case_deadlines, render_case_file

__all__ = ["remind_case_deadlines", "render_case_file"]
