"""The inspection workflow (draft -> submitted), each step declared once (ADR 0007).

The state table is `models.TRANSITIONS`; who may act is
`enforcement.permissions.inspection_refusal`; the services check again under lock. The
pages (views.py) and the API (api.py) are generated from this list by the workflow kit.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enforcement.inspections import forms, services
from enforcement.inspections.models import TRANSITIONS, Inspection
from enforcement.permissions import get_inspection_for_user, inspection_refusal
from safetyportal.core.forms import EmptyForm
from safetyportal.workflow import Step, Workflow


def rule(action: str):
    def check(user, inspection: Inspection) -> str | None:
        return inspection_refusal(user, action, inspection)

    check.__name__ = f"may_{action}"
    return check


def _draft(inspection: Inspection) -> str | None:
    return None if inspection.is_draft else _("检查记录已提交，不能再添加问题。")


def _draft_only(inspection: Inspection) -> str | None:
    return None if inspection.is_draft else _("检查记录已提交。")


INSPECTION_WORKFLOW = Workflow(
    name="inspection",
    get_for_user=get_inspection_for_user,
    object_arg="inspection_id",
    transitions=TRANSITIONS,
    steps=[
        Step(
            name="add-finding",
            label=_("添加问题"),
            summary=_("草稿：添加一条检查发现的问题（可附照片）"),
            guard=_draft,
            rule=rule("edit"),
            form=forms.FindingForm,
            service=services.add_finding,
            success=_("已添加问题。"),
        ),
        Step(
            name="acknowledge",
            label=_("登记签字情况"),
            summary=_("草稿：登记被检查单位负责人签字人，或其拒绝签字"),
            guard=_draft_only,
            rule=rule("edit"),
            form=forms.AcknowledgementForm,
            service=services.record_acknowledgement,
            success=_("签字情况已登记。"),
        ),
        Step(
            name="submit",
            label=_("提交检查记录"),
            summary=_("提交：核对检查人员在检查日期持有效执法证，完成计划检查对象"),
            transition="submit",
            guard=services.acknowledgement_refusal,
            rule=rule("submit"),
            form=EmptyForm,
            service=services.submit_inspection,
            success=_("检查记录已提交。"),
        ),
    ],
)
