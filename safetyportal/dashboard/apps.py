from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The composition layer: pages and commands that combine several domain apps (the
    role home pages, the demo and scale data). It sits above every domain app (ADR 0008)."""

    name = "safetyportal.dashboard"
    label = "dashboard"
    verbose_name = "工作台"
