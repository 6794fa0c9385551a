from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执法监管"

    def ready(self) -> None:
        from enforcement.appraisal import register_rules
        from enforcement.inspections import selectors  # noqa: F401  (its watch() of inspections)
        from enforcement.permissions import install_scopes
        from enforcement.plans import selectors as plan_selectors  # noqa: F401  (its watch())
        from enforcement.reference import add_reference_rows
        from responsibilities.signals import reference_data_loaded

        install_scopes()
        from enforcement.reports.permissions import install_report_scope
        from enforcement.reports.rewards import ensure_reward_rules

        install_report_scope()
        reference_data_loaded.connect(
            lambda **kwargs: ensure_reward_rules(),
            dispatch_uid="enforcement.reports.rules",
            weak=False,
        )
        register_rules()  # the appraisal's enforcement indicators (enforcement/appraisal.py)
        reference_data_loaded.connect(
            add_reference_rows, dispatch_uid="enforcement.add_reference_rows"
        )
