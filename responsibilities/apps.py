from django.apps import AppConfig


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = "责任体系"

    def ready(self) -> None:
        from responsibilities import permissions  # noqa: F401  (installs the interview scope)
