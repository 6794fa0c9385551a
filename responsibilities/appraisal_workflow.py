"""The steps of an appraisal result, declared once: 待单位确认 -> 单位已自评 -> 已评审待审定
-> 已审定 (-> 已公布, for the whole round). Adjusting a score is an action on the score
(appraisal_services.adjust_score), not a step: it keeps the state."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from responsibilities import appraisal_forms, appraisal_services
from responsibilities.appraisal_models import RESULT_TRANSITIONS, AppraisalResult
from responsibilities.permissions import appraisal_refusal, get_appraisal_result_for_user
from safetyportal.core.forms import EmptyForm
from safetyportal.workflow import Step, Workflow


def rule(action: str):
    def check(user, result: AppraisalResult) -> str | None:
        return appraisal_refusal(user, result, action)

    check.__name__ = f"may_{action}"
    return check


APPRAISAL_WORKFLOW = Workflow(
    name="appraisal",
    get_for_user=get_appraisal_result_for_user,
    object_arg="result_id",
    transitions=RESULT_TRANSITIONS,
    state_refusal=AppraisalResult.move_refusal,
    steps=[
        Step(
            name="comment",
            label=_("提交自评意见"),
            summary=_("被考核单位对计算得分提出自评意见"),
            transition="comment",
            rule=rule("comment"),
            form=appraisal_forms.CommentForm,
            service=appraisal_services.comment,
            success=_("自评意见已提交。"),
        ),
        Step(
            name="submit",
            label=_("提交评审意见"),
            summary=_("考核单位完成评审（评议计分指标须已打分），报县级领导审定"),
            transition="submit",
            rule=rule("submit"),
            form=appraisal_forms.ReviewForm,
            service=appraisal_services.submit_review,
            success=_("评审意见已提交，待县级领导审定。"),
        ),
        Step(
            name="approve",
            label=_("审定"),
            summary=_("县级领导审定考核结果"),
            transition="approve",
            rule=rule("approve"),
            form=appraisal_forms.ApproveForm,
            service=appraisal_services.approve,
            success=_("考核结果已审定。"),
        ),
        Step(
            name="send_back",
            label=_("退回重评"),
            summary=_("县级领导退回考核单位重新评审"),
            transition="send_back",
            rule=rule("send_back"),
            form=appraisal_forms.SendBackForm,
            service=appraisal_services.send_back,
            success=_("考核结果已退回。"),
            style="danger",
        ),
        Step(
            name="recompute",
            label=_("重新计算"),
            summary=_("台账更正后按数据截止日重新计算得分（保留评审调整）"),
            transition="recompute",
            rule=rule("recompute"),
            form=EmptyForm,
            service=appraisal_services.recompute,
            success=_("已开始重新计算。"),
        ),
    ],
)
