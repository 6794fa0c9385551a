"""The appraisal rules this app owns (registered in ResponsibilitiesConfig.ready): duty
items completed, and a committee's meetings held. The rules of the other ledgers are
registered by their apps (hazards, enterprises, enforcement), never imported here."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from responsibilities.appraisal_rules import (
    ALL_UNITS,
    COMMITTEES,
    Evidence,
    Measure,
    Method,
    Period,
    Rule,
    register,
)
from responsibilities.committee_models import CommitteeMeeting
from responsibilities.duty_models import DutyItem, DutyItemStatus, DutyList
from responsibilities.models import Organisation


def duty_items_completed(unit: Organisation, period: Period, params: dict) -> Measure:
    """The unit's duty-list items of the year that were due by the snapshot (an item
    without a deadline is due at year end), counted when marked done on or before it."""
    duty_list = DutyList.objects.filter(owner=unit, year=period.year).first()
    if duty_list is None:
        return Measure(counted=0, base=0, summary=_("本年度无责任清单"))
    due = (
        DutyItem.objects.filter(duty_list=duty_list)
        .filter(Q(deadline__lte=period.end) | Q(deadline__isnull=True))
        .order_by("order", "pk")
    )
    base = 0
    failures = []
    for item in due.only("pk", "order", "content", "deadline", "status", "done_on"):
        base += 1
        if item.status == DutyItemStatus.DONE and item.done_on and item.done_on <= period.end:
            continue
        failures.append(
            Evidence(
                label=_("第%(order)s项 %(content)s")
                % {"order": item.order, "content": item.content[:80]},
                note=_("期限 %(deadline)s，截至 %(snapshot)s 未完成")
                % {
                    "deadline": item.deadline or _("年底"),
                    "snapshot": period.end,
                },
                url=reverse("responsibilities:duty_list", args=[duty_list.pk]),
            )
        )
    counted = base - len(failures)
    return Measure(
        counted=counted,
        base=base,
        failures=failures,
        summary=_("应完成 %(base)s 项，已完成 %(counted)s 项") % {"base": base, "counted": counted},
        records_url=reverse("responsibilities:duty_list", args=[duty_list.pk]),
    )


def committee_meetings_held(unit: Organisation, period: Period, params: dict) -> Measure:
    """A committee's 会商研判 meetings in the year against the number required
    (`params["required"]`, 4 by default: one a quarter)."""
    required = int(params.get("required", 4))
    meetings = CommitteeMeeting.objects.filter(
        committee=unit, held_on__gte=period.start, held_on__lte=period.end
    ).count()
    counted = min(meetings, required)
    failures = [
        Evidence(
            label=_("缺少第%(n)s次会议") % {"n": n},
            note=_("全年应召开 %(required)s 次") % {"required": required},
        )
        for n in range(counted + 1, required + 1)
    ]
    return Measure(
        counted=counted,
        base=required,
        failures=failures,
        summary=_("全年应召开 %(required)s 次，已召开 %(held)s 次")
        % {"required": required, "held": meetings},
        records_url=reverse("responsibilities:committee_detail", args=[unit.pk]),
    )


def register_rules() -> None:
    register(
        Rule(
            code="responsibilities.duty_items_completed",
            label=gettext_lazy("责任清单事项完成率"),
            description=gettext_lazy(
                "本单位年度责任清单中截止数据截止日应完成的事项（无期限的按年底计），"
                "已标记完成的占比；未完成的逐项列为扣分依据。"
            ),
            kinds=ALL_UNITS,
            measure=duty_items_completed,
        )
    )
    register(
        Rule(
            code="responsibilities.committee_meetings_held",
            label=gettext_lazy("专委会会商研判会议"),
            description=gettext_lazy(
                "专委会全年召开会商研判等会议的次数，对照应召开次数（参数 required，默认每季度 1 次）。"
            ),
            kinds=COMMITTEES,
            measure=committee_meetings_held,
            method=Method.RATE,
        )
    )
