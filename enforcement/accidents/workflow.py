"""The accident investigation (条例 Art. 25-32), each step declared once: 成立调查组 ->
调查报告 (60 days, extendable by up to 60) -> 批复 (15 days) -> 结案, and 补报 while the
casualty figures may still change (Art. 13). Pages and API actions are generated from here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enforcement.accidents import forms, services
from enforcement.accidents.models import TRANSITIONS, Accident
from enforcement.permissions import accident_refusal, get_accident_for_user
from safetyportal.workflow import Step, Workflow


def rule(action: str):
    def check(user, accident: Accident) -> str | None:
        return accident_refusal(user, accident, action)

    check.__name__ = f"may_{action}"
    return check


ACCIDENT_WORKFLOW = Workflow(
    name="accident",
    get_for_user=get_accident_for_user,
    object_arg="accident_id",
    transitions=TRANSITIONS,
    state_refusal=Accident.move_refusal,
    steps=[
        Step(
            name="supplement",
            label=_("补报伤亡情况"),
            summary=_("补报：事故发生之日起 30 日内（道路交通、火灾 7 日内）伤亡人数变化"),
            transition="supplement",
            guard=Accident.supplement_refusal,
            rule=rule("supplement"),
            form=forms.SupplementForm,
            service=services.supplement_accident,
            success=_("已补报，事故等级已按新数字重新核定。"),
        ),
        Step(
            name="investigate",
            label=_("成立调查组"),
            summary=_("成立事故调查组（县安委办）"),
            transition="investigate",
            rule=rule("investigate"),
            form=forms.InvestigateForm,
            service=services.start_investigation,
            success=_("调查组已成立。"),
        ),
        Step(
            name="extend",
            label=_("延长调查期限"),
            summary=_("延长调查报告提交期限（最多 60 日，须说明理由）"),
            transition="extend",
            guard=Accident.extension_refusal,
            rule=rule("extend"),
            form=forms.ExtendForm,
            service=services.extend_investigation,
            success=_("调查期限已延长。"),
        ),
        Step(
            name="submit-report",
            label=_("提交调查报告"),
            summary=_("提交事故调查报告（事故发生之日起 60 日内）"),
            transition="submit_report",
            rule=rule("submit_report"),
            form=forms.SubmitReportForm,
            service=services.submit_report,
            success=_("调查报告已提交。"),
        ),
        Step(
            name="decide",
            label=_("登记政府批复"),
            summary=_("登记人民政府批复（收到报告之日起 15 日内）"),
            transition="decide",
            rule=rule("decide"),
            form=forms.DecideForm,
            service=services.decide,
            success=_("批复已登记。"),
        ),
        Step(
            name="close",
            label=_("结案"),
            summary=_("事故调查处理结案"),
            transition="close",
            rule=rule("decide"),
            form=forms.CloseForm,
            service=services.close,
            success=_("事故已结案。"),
        ),
    ],
)
