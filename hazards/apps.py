from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = "隐患治理"

    def ready(self) -> None:
        from hazards import risk_selectors  # noqa: F401  (its watch() of the risk points)
        from hazards.appraisal import register_rules
        from hazards.permissions import install_scopes

        install_scopes()
        register_rules()  # the appraisal's hazard indicators (hazards/appraisal.py)
