"""The enforcement ledgers' appraisal rules, registered in EnforcementConfig.ready (the
functions live in their areas: enforcement/plans/appraisal.py,
enforcement/accidents/appraisal.py and enforcement/reports/appraisal.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from enforcement.accidents.appraisal import serious_accident_veto
from enforcement.plans.appraisal import inspections_against_plan
from enforcement.reports.appraisal import reports_handled_on_time
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
    register(
        Rule(
            code="enforcement.reports_handled_on_time",
            label=gettext_lazy("举报按期办结率"),
            description=gettext_lazy(
                "本单位承办、考核年度内受理的举报，截至数据截止日在核查期限内核查并在反馈期限内"
                "向举报人反馈的占比；逾期的逐件列为扣分依据，尚在期限内的不计。"
            ),
            kinds=TOWNS + DEPARTMENTS,
            measure=reports_handled_on_time,
            method=Method.RATE,
        )
    )
