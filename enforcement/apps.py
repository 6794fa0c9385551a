from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执法监管"

    def ready(self) -> None:
        from enforcement.permissions import install_scopes

        install_scopes()
