"""The 约谈 steps, declared once: 拟约谈 -> 已约谈 (纪要、承诺) -> 已办结 (反馈)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from responsibilities import interview_forms, interview_services
from responsibilities.interview_models import INTERVIEW_TRANSITIONS, Interview
from responsibilities.permissions import get_interview_for_user, interview_refusal
from safetyportal.workflow import Step, Workflow


def rule(action: str):
    def check(user, interview: Interview) -> str | None:
        return interview_refusal(user, interview, action)

    check.__name__ = f"may_{action}"
    return check


INTERVIEW_WORKFLOW = Workflow(
    name="interview",
    get_for_user=get_interview_for_user,
    object_arg="interview_id",
    transitions=INTERVIEW_TRANSITIONS,
    state_refusal=Interview.move_refusal,
    steps=[
        Step(
            name="hold",
            label=_("记录约谈"),
            summary=_("记录约谈：参加人员、纪要和整改承诺"),
            transition="hold",
            rule=rule("hold"),
            form=interview_forms.HeldForm,
            service=interview_services.record_held,
            success=_("约谈纪要已记录。"),
        ),
        Step(
            name="close",
            label=_("登记反馈并办结"),
            summary=_("登记被约谈方的整改反馈并办结"),
            transition="close",
            rule=rule("close"),
            form=interview_forms.FeedbackForm,
            service=interview_services.record_feedback,
            success=_("反馈已登记，约谈已办结。"),
        ),
    ],
)
