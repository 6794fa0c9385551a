from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业"

    def ready(self) -> None:
        from enterprises.appraisal import register_rules
        from responsibilities.signals import industry_changed, reference_data_loaded

        register_rules()  # the appraisal's enterprise indicator (enterprises/appraisal.py)

        reference_data_loaded.connect(
            add_reference_rows, dispatch_uid="enterprises.add_reference_rows"
        )
        industry_changed.connect(judge_industry, dispatch_uid="enterprises.judge_industry")


def judge_industry(*, industry, **_kwargs) -> None:
    """An industry changed (its high-risk flag is read by the compliance checks): judge
    its enterprises again."""
    from enterprises.duties.judging import judge_industries

    judge_industries([industry.pk])


def add_reference_rows(**_kwargs) -> None:
    """The enterprises app's reference rows that name industries: the 安责险 mandates, the
    安全生产费用 obligations and rates, the self-assessment template and grade bands (each
    idempotent; rows the county office changed are kept)."""
    from enterprises import reference
    from enterprises.duties.judging import judge_reference_changes
    from enterprises.duties.selectors import duty_reference

    before = duty_reference()
    reference.ensure_insurance_mandates()
    reference.ensure_safety_cost_reference()
    judge_reference_changes(before)  # the enterprises of industries whose duties changed
    reference.load_assessment_template()
    reference.ensure_grade_bands()
