"""The general procedure of a penalty case, each step declared once (the simple procedure
is decided on the spot by services.create_simple_case and then only paid/closed here).

The state table is `enforcement.cases.models.TRANSITIONS`; who may act is
`permissions.case_refusal`; the legal limits are checked by the services (rules.py).
Pages (cases/views.py) and the API (cases/api.py) are generated from this list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enforcement.cases import forms, services
from enforcement.cases.models import TRANSITIONS, Case
from enforcement.permissions import case_refusal, get_case_for_user
from safetyportal.workflow import Step, Workflow


def _rule(user, case: Case) -> str | None:
    return case_refusal(user, case)


CASE_WORKFLOW = Workflow(
    name="case",
    get_for_user=get_case_for_user,
    object_arg="case_id",
    transitions=TRANSITIONS,
    state_refusal=Case.move_refusal,
    steps=[
        Step(
            name="evidence",
            label=_("登记证据"),
            summary=_("调查取证：登记证据（行政处罚法第四十六条的八类证据）"),
            transition="evidence",
            rule=_rule,
            form=forms.EvidenceForm,
            service=services.add_evidence,
            success=_("证据已登记。"),
        ),
        Step(
            name="notify",
            label=_("告知拟处罚及权利"),
            summary=_("告知：拟作出的处罚、事实、理由、依据及陈述申辩和听证权利（编号告知书）"),
            transition="notify",
            rule=_rule,
            form=forms.NotifyForm,
            service=services.notify_party,
            success=_("已告知当事人，告知书已编号。"),
        ),
        Step(
            name="request-hearing",
            label=_("登记听证申请"),
            summary=_("当事人在告知后 5 日内申请听证"),
            transition="request_hearing",
            rule=_rule,
            form=forms.HearingRequestForm,
            service=services.request_hearing,
            success=_("听证申请已登记，请安排听证。"),
        ),
        Step(
            name="schedule-hearing",
            label=_("安排听证"),
            summary=_("听证通知书：在举行听证 7 日前通知"),
            transition="schedule_hearing",
            rule=_rule,
            form=forms.HearingScheduleForm,
            service=services.schedule_hearing,
            success=_("听证已安排，听证通知书已编号。"),
        ),
        Step(
            name="decide",
            label=_("作出处罚决定"),
            summary=_("处罚决定：立案后 90 日内（编号决定书）"),
            transition="decide",
            rule=_rule,
            form=forms.DecideForm,
            service=services.decide_case,
            success=_("处罚决定已作出，决定书已编号。"),
        ),
        Step(
            name="serve",
            label=_("送达决定书"),
            summary=_("送达：决定后 7 日内（送达回执）"),
            transition="serve",
            rule=_rule,
            form=forms.ServeForm,
            service=services.serve_decision,
            success=_("决定书已送达。"),
        ),
        Step(
            name="pay",
            label=_("登记缴款"),
            summary=_("执行：送达后 15 日内缴纳罚款，逾期每日加处 3%"),
            transition="pay",
            rule=_rule,
            form=forms.PayForm,
            service=services.record_payment,
            success=_("缴款已登记。"),
        ),
        Step(
            name="close",
            label=_("结案"),
            summary=_("结案（结案审批表）"),
            transition="close",
            rule=_rule,
            form=forms.CloseForm,
            service=services.close_case,
            success=_("案件已结案。"),
        ),
    ],
)
