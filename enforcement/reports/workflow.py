"""The handling of a whistleblower report, each step declared once: 受理 / 不予受理 ->
交办核查 (延期一次) -> 核查结论 -> 反馈; a substantiated report -> 隐患 or 案件, and its reward
(核算 -> 县安委办审批 -> 发放). The state table is models.TRANSITIONS; who may act is
permissions.report_refusal. Pages (views.py) and the API (api.py) are generated from it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enforcement.reports import forms, services
from enforcement.reports.models import TRANSITIONS, Report
from enforcement.reports.permissions import get_report_for_user, report_refusal
from safetyportal.workflow import Step, Workflow


def rule(step: str):
    def check(user, report: Report) -> str | None:
        return report_refusal(user, report, step)

    check.__name__ = f"may_{step}"
    return check


def _with_user(user, report):
    return {"user": user}


def _suggestion(user, report):
    return {"suggestion": services.suggest_unit(report)}


REPORT_WORKFLOW = Workflow(
    name="report",
    get_for_user=get_report_for_user,
    object_arg="report_id",
    transitions=TRANSITIONS,
    state_refusal=Report.move_refusal,
    steps=[
        Step(
            name="accept",
            label=_("受理"),
            summary=_("受理举报：核查期限自受理之日起计算"),
            transition="accept",
            rule=rule("accept"),
            form=forms.NoteForm,
            service=services.accept_report,
            success=_("举报已受理。"),
        ),
        Step(
            name="reject",
            label=_("不予受理"),
            summary=_("不予受理（理由将告知举报人）"),
            transition="reject",
            rule=rule("reject"),
            form=forms.RejectForm,
            service=services.reject_report,
            success=_("已不予受理，理由举报人凭查询码可见。"),
            style="danger",
        ),
        Step(
            name="assign",
            label=_("交办核查"),
            summary=_("交办部门或镇街核查（按监管责任图建议）"),
            transition="assign",
            rule=rule("assign"),
            form=forms.AssignForm,
            form_kwargs=_suggestion,
            service=services.assign_report,
            success=_("举报已交办。"),
        ),
        Step(
            name="extend",
            label=_("延长核查期限"),
            summary=_("延长核查期限（一次，最多 30 日）"),
            transition="extend",
            rule=rule("extend"),
            form=forms.ExtendForm,
            service=services.extend_verification,
            success=_("核查期限已延长。"),
        ),
        Step(
            name="verify",
            label=_("登记核查结果"),
            summary=_("登记核查结论（属实、部分属实、不属实）"),
            transition="verify",
            rule=rule("verify"),
            form=forms.VerifyForm,
            form_kwargs=_with_user,
            service=services.verify_report,
            success=_("核查结果已登记，请在期限内反馈举报人。"),
        ),
        Step(
            name="feedback",
            label=_("向举报人反馈"),
            summary=_("向举报人反馈办理结果（凭查询码可见）"),
            transition="feedback",
            rule=rule("feedback"),
            form=forms.FeedbackForm,
            service=services.give_feedback,
            success=_("已反馈，举报办结。"),
        ),
        Step(
            name="merge",
            label=_("合并为重复举报"),
            summary=_("合并到同一企业同一事项的另一条举报（查询码继续有效）"),
            transition="merge",
            rule=rule("merge"),
            form=forms.MergeForm,
            form_kwargs=_with_user,
            service=services.merge_report,
            success=_("已合并，举报人的查询码显示合并后举报的进度。"),
            style="danger",
        ),
        Step(
            name="to-hazard",
            label=_("转为隐患"),
            summary=_("把属实的举报登记为隐患（来源：群众举报）"),
            transition="to_hazard",
            rule=rule("to_hazard"),
            form=forms.HazardForm,
            service=services.convert_to_hazard,
            success=_("已登记为隐患。"),
        ),
        Step(
            name="to-case",
            label=_("转为行政处罚案件"),
            summary=_("把属实的举报以一般程序立案"),
            transition="to_case",
            rule=rule("to_case"),
            form=forms.CaseForm,
            form_kwargs=_with_user,
            service=services.convert_to_case,
            success=_("已立案。"),
        ),
        Step(
            name="reward",
            label=_("核算奖励"),
            summary=_("按奖励标准核算举报奖励"),
            transition="reward",
            rule=rule("reward"),
            form=forms.RewardForm,
            service=services.compute_reward,
            success=_("奖励已核算，待县安委办审批。"),
        ),
        Step(
            name="approve-reward",
            label=_("审批奖励"),
            summary=_("县安委办审批举报奖励"),
            transition="approve_reward",
            rule=rule("approve_reward"),
            form=forms.NoteForm,
            service=services.approve_reward,
            success=_("奖励已审批。"),
        ),
        Step(
            name="pay-reward",
            label=_("登记奖励发放"),
            summary=_("登记奖励已发放"),
            transition="pay_reward",
            rule=rule("pay_reward"),
            form=forms.PayForm,
            service=services.pay_reward,
            success=_("奖励发放已登记。"),
        ),
    ],
)
