"""The hazard workflow (general and major), each step declared once.

The state table is `hazards.models.TRANSITIONS`; who may act is `permissions.refusal`;
the input is the step's form (the API serializer is derived from it); the service does
the work under lock. Pages (hazards/views.py) and the API (hazards/api.py) are generated
from this list by the workflow kit (safetyportal/workflow/).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hazards import forms, services
from hazards.models import TRANSITIONS, Hazard
from hazards.permissions import get_hazard_for_user, is_official, refusal
from safetyportal.core.forms import EmptyForm
from safetyportal.workflow import Step, Workflow


def rule(action: str):
    """The step's rule: permissions.refusal for `action` on the hazard."""

    def check(user, hazard: Hazard) -> str | None:
        return refusal(user, hazard, action)

    check.__name__ = f"may_{action}"
    return check


def _submit_label(hazard: Hazard | None):
    if hazard is not None and hazard.is_major:
        return _("申请销号")
    return _("提交整改")


def _pending_extension(hazard: Hazard) -> str | None:
    return None if hazard.has_pending_extension else _("没有待审批的延期申请。")


HAZARD_WORKFLOW = Workflow(
    name="hazard",
    get_for_user=get_hazard_for_user,
    object_arg="hazard_id",
    transitions=TRANSITIONS,
    state_refusal=Hazard.move_refusal,
    steps=[
        Step(
            name="start",
            label=_("开始整改"),
            summary=_("开始整改（一般隐患）"),
            transition="start",
            rule=rule("start"),
            form=EmptyForm,
            service=services.start_rectification,
            success=_("已开始整改。"),
        ),
        Step(
            name="determine",
            label=_("认定为重大隐患"),
            summary=_("认定为重大事故隐患，列入清单（县安委办）"),
            transition="determine",
            rule=rule("determine"),
            form=forms.DetermineForm,
            service=services.determine_major_hazard,
            success=_("已认定为重大事故隐患并列入清单。"),
        ),
        Step(
            name="assign",
            label=_("下达交办单"),
            summary=_("交办：下达交办单及五落实（县安委办）"),
            transition="assign",
            rule=rule("assign"),
            form=forms.AssignForm,
            service=services.assign_major_hazard,
            success=_("交办单已下达。"),
        ),
        Step(
            name="progress",
            label=_("登记整改进展"),
            summary=_("台账：登记整改进展"),
            transition="progress",
            rule=rule("progress"),
            form=forms.ProgressForm,
            service=services.record_progress,
            success=_("整改进展已登记。"),
        ),
        Step(
            name="submit",
            label=_submit_label,
            summary=_("提交整改（一般隐患）或申请销号（重大隐患）"),
            transition="submit",
            guard=Hazard.submit_refusal,
            rule=rule("submit"),
            form=forms.NoteForm,
            service=services.submit_rectification,
            success=_("整改情况已提交，等待核查。"),
        ),
        Step(
            name="verify",
            label=_("提交核查结果"),
            summary=_("核查：通过即销号，不通过须书面说明并退回整改"),
            transition="verify_pass",
            rule=rule("verify_pass"),
            # an official who may not verify this one (e.g. they recorded its progress) is
            # told why, instead of finding no form
            show_refused=is_official,
            form=forms.VerifyForm,
            initial={"passed": "1"},
            service=services.verify_rectification,
            success=_("核查结果已登记。"),
        ),
        Step(
            name="request-extension",
            label=_("申请延期"),
            summary=_("申请延期（须在期限前）"),
            transition="request_extension",
            guard=Hazard.extension_request_refusal,
            rule=rule("request_extension"),
            form=forms.ExtensionRequestForm,
            service=services.request_extension,
            success=_("延期申请已提交。"),
        ),
        Step(
            name="decide-extension",
            label=_("审批延期"),
            summary=_("审批延期（县安委办）"),
            transition="decide_extension",
            guard=_pending_extension,
            rule=rule("decide_extension"),
            form=forms.ExtensionDecisionForm,
            service=services.decide_extension,
            success=_("延期审批已登记。"),
        ),
        Step(
            name="explain",
            label=_("提交书面说明"),
            summary=_("书面说明：核查未通过或重大隐患逾期时，责任单位向交办单位说明"),
            transition="explain",
            guard=Hazard.explanation_refusal,
            rule=rule("explain"),
            form=forms.ExplanationForm,
            service=services.submit_explanation,
            success=_("书面说明已提交交办单位。"),
        ),
        Step(
            name="supervise",
            label=_("督办"),
            summary=_("督办逾期隐患（县领导、县安委办）"),
            transition="supervise",
            guard=Hazard.supervision_refusal,
            rule=rule("supervise"),
            form=forms.SuperviseForm,
            service=services.supervise_hazard,
            success=_("督办已发出，已通知责任单位和属地镇街。"),
        ),
        Step(
            name="void",
            label=_("作废"),
            summary=_("作废（误录，保留记录；县安委办）"),
            transition="void",
            rule=rule("void"),
            form=forms.VoidForm,
            service=services.void_hazard,
            success=_("隐患已作废（记录保留）。"),
            style="danger",
            confirm=_("作废后该隐患不再办理（记录保留）。确定作废吗？"),
        ),
        Step(
            name="accountability",
            label=_("登记问责"),
            summary=_("登记问责（县安委办）"),
            guard=Hazard.accountability_refusal,
            rule=rule("accountability"),
            form=forms.AccountabilityForm,
            service=services.record_accountability,
            success=_("问责记录已登记。"),
        ),
    ],
)
