from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The workflow kit: steps declared once, rendered as buttons, HTML and API actions."""

    name = "safetyportal.workflow"
    label = "workflow"
    verbose_name = "workflow kit"
