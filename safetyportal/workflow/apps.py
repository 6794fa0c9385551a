from importlib import import_module

from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The workflow kit: steps declared once, rendered as buttons, HTML and API actions."""

    name = "safetyportal.workflow"
    label = "workflow"
    verbose_name = "workflow kit"

    def ready(self) -> None:
        # the schema extensions register themselves on import (ADR 0044)
        import_module("safetyportal.workflow.schema")
