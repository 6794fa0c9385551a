from django.apps import AppConfig


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = "责任体系"

    def ready(self) -> None:
        from responsibilities.appraisal_indicators import register_rules
        from responsibilities.permissions import install_scopes

        install_scopes()
        register_rules()
