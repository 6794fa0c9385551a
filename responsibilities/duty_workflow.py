"""The duty item's steps, declared once (ADR 0007, ADR 0038): the responsible unit marks
an item done with evidence (未完成 -> 已完成); the county office, or the unit to correct a
mistake, reopens it with a reason (已完成 -> 未完成). The list page, its POSTs
(html.step_view) and the API actions (@step_actions) all derive from this."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from responsibilities import duty_forms, duty_services
from responsibilities.duty_models import DUTY_ITEM_TRANSITIONS, DutyItem
from responsibilities.permissions import duty_refusal, get_duty_item_for_user
from safetyportal.workflow import Step, Workflow


def rule(action: str):
    def check(user, item: DutyItem) -> str | None:
        return duty_refusal(user, item.duty_list, action)

    check.__name__ = f"may_{action}"
    return check


def _ids_per_item(user, item: DutyItem) -> dict:
    # a list page holds one form per item: their ids must differ
    return {"auto_id": f"id_duty{item.pk}_%s"}


DUTY_ITEM_WORKFLOW = Workflow(
    name="duty_item",
    get_for_user=get_duty_item_for_user,
    object_arg="item_id",
    transitions=DUTY_ITEM_TRANSITIONS,
    state_refusal=DutyItem.move_refusal,
    steps=[
        Step(
            name="mark-done",
            label=_("标记完成"),
            summary=_("标记完成：填写完成情况，上传佐证材料或填写佐证记录链接"),
            transition="mark_done",
            rule=rule("mark_done"),
            form=duty_forms.DutyDoneForm,
            form_kwargs=_ids_per_item,
            service=duty_services.mark_duty_item_done,
            success=_("已标记完成。"),
        ),
        Step(
            name="reopen",
            label=_("退回重办"),
            summary=_("退回已完成的事项（佐证不足或误标），须填写原因"),
            transition="reopen",
            rule=rule("reopen"),
            form=duty_forms.DutyReopenForm,
            form_kwargs=_ids_per_item,
            service=duty_services.reopen_duty_item,
            success=_("已退回，事项恢复为未完成。"),
            style="danger",
        ),
    ],
)
