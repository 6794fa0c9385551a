from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = "隐患治理"

    def ready(self) -> None:
        from hazards.permissions import install_scopes

        install_scopes()
