from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业"

    def ready(self) -> None:
        from responsibilities.signals import reference_data_loaded

        reference_data_loaded.connect(
            add_reference_rows, dispatch_uid="enterprises.add_reference_rows"
        )


def add_reference_rows(**_kwargs) -> None:
    """The enterprises app's reference rows that name industries: the 安责险 mandates, the
    安全生产费用 obligations and rates, the self-assessment template and grade bands (each
    idempotent; rows the county office changed are kept)."""
    from enterprises import reference

    reference.ensure_insurance_mandates()
    reference.ensure_safety_cost_reference()
    reference.load_assessment_template()
    reference.ensure_grade_bands()
