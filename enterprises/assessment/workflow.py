"""The self-assessment workflow, declared once on the workflow kit (docs/decisions/0007):
save a draft, submit, accept, return. The page's buttons, the step URLs and the API
actions all come from this declaration; the states and their moves are
`SelfAssessment.TRANSITIONS`, who may act is `enterprises.permissions.refusal`, the input
is one form per step (enterprises/assessment/forms.py), the writes are the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enterprises.assessment import services
from enterprises.assessment.forms import AnswersInput, ReviewInput
from enterprises.assessment.models import SelfAssessment
from enterprises.permissions import Action, get_assessment_for_user, refusal
from safetyportal.workflow import Step, Workflow


def _rule(action: Action):
    def rule(user, assessment) -> str | None:
        return refusal(user, action, assessment)

    return rule


def _with_assessment(user, assessment) -> dict:
    return {"assessment": assessment}


ASSESSMENT_WORKFLOW = Workflow(
    name="assessment",
    steps=[
        Step(
            name="save",
            label=_("保存草稿"),
            form=AnswersInput,
            service=services.save_draft,
            success=_("草稿已保存。"),
            rule=_rule(Action.FILL_ASSESSMENT),
            transition="save",
            style="outline-primary",
            summary=_("保存自评草稿（仅本企业管理人员）"),
            form_kwargs=_with_assessment,
        ),
        Step(
            name="submit",
            label=_("提交自评"),
            form=AnswersInput,
            service=services.submit_assessment,
            success=_("自评已提交，等待审核。"),
            rule=_rule(Action.FILL_ASSESSMENT),
            transition="submit",
            summary=_("保存并提交自评；有未打分项目时不作任何修改（仅本企业管理人员）"),
            form_kwargs=_with_assessment,
        ),
        Step(
            name="accept",
            label=_("审核通过"),
            form=ReviewInput,
            service=services.accept_assessment,
            success=_("已审核通过。"),
            rule=_rule(Action.REVIEW_ASSESSMENT),
            transition="accept",
            style="success",
            summary=_("审核通过：可调整得分（需理由）"),
            form_kwargs=_with_assessment,
        ),
        Step(
            name="return",
            label=_("退回修改"),
            form=ReviewInput,
            service=services.return_assessment,
            success=_("已退回企业修改。"),
            rule=_rule(Action.REVIEW_ASSESSMENT),
            transition="return",
            style="outline-danger",
            summary=_("退回企业修改（需填写审核意见）"),
            form_kwargs=_with_assessment,
        ),
    ],
    get_for_user=get_assessment_for_user,
    object_arg="assessment_id",
    transitions=SelfAssessment.TRANSITIONS,
    state_refusal=lambda assessment, step: assessment.state_refusal(step),
)
