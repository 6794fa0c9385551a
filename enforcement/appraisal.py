"""The enforcement ledgers' appraisal rules, registered in EnforcementConfig.ready (the
functions live in their areas: enforcement/plans/appraisal.py and
enforcement/accidents/appraisal.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from enforcement.accidents.appraisal import serious_accident_veto
from enforcement.plans.appraisal import inspections_against_plan
from responsibilities.appraisal_rules import DEPARTMENTS, TOWNS, Method, Rule, register


def register_rules() -> None:
    register(
        Rule(
            code="enforcement.inspections_against_plan",
            label=gettext_lazy("执法检查计划完成率"),
            description=gettext_lazy(
                "本单位年度执法检查计划中截至数据截止日所在月份应检查的对象，"
                "在数据截止日前已完成检查的占比；未检查的逐家列为扣分依据。未制定计划的不计分，由评审调整。"
            ),
            kinds=TOWNS + DEPARTMENTS,
            measure=inspections_against_plan,
            method=Method.RATE,
        )
    )
    register(
        Rule(
            code="enforcement.serious_accident_veto",
            label=gettext_lazy("较大及以上生产安全事故"),
            description=gettext_lazy(
                "考核年度内（截至数据截止日）本单位辖区（镇街：事发镇街；部门：当年牵头监管的行业）"
                "发生较大及以上生产安全事故的，一票否决。"
            ),
            kinds=TOWNS + DEPARTMENTS,
            measure=serious_accident_veto,
            method=Method.VETO,
        )
    )
