from importlib import import_module

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The composition layer: pages and commands that combine several domain apps (the
    role home pages, the stored reports, the demo and scale data). It sits above every
    domain app (ADR 0008)."""

    name = "safetyportal.dashboard"
    label = "dashboard"
    verbose_name = "工作台"

    def ready(self) -> None:
        # load every app's cards.py now, not at the first home page: the cards declare
        # which writes change their kept figures (safetyportal/core/figures.py `watch`),
        # and a process that only writes (a Celery worker, an import) must touch them too
        from safetyportal.core.cards import registered
        from safetyportal.core.reports import install_requester
        from safetyportal.dashboard.reports.permissions import install_scopes
        from safetyportal.dashboard.reports.services import request_report

        registered()
        install_scopes()
        # the dashboards' own watches (their hazard figures' topic), in every process
        import_module("safetyportal.dashboard.figures")
        # lower apps (the appraisal pages) ask for a report through the platform (ADR 0047)
        install_requester(request_report)
