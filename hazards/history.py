"""The rules a hazard's recorded history must keep, checked on the stored rows.

The services enforce these one step at a time (a step's date between found_on and today,
销号 after the slip and a 台账 entry and with evidence, closure only by a passed
verification). `history_problems` states them for a whole history at once, so data that
did not come through the services (the demo's bulk rows, imports, bench data) can be
checked with the same rules: dates in order (found <= determined <= slip <= progress <=
evidence <= verified = closed <= today), a major hazard past 交办 has its slip, a closed
or submitted major hazard has a progress entry and evidence, a closed one a passed
verification on its closing day.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hazards.models import (
    AttachmentKind,
    Hazard,
    HazardAttachment,
    HazardStatus,
)

S = HazardStatus
PAST_SLIP = (S.RECTIFYING, S.SUBMITTED, S.CLOSED)


def with_history(queryset: QuerySet[Hazard]) -> QuerySet[Hazard]:
    """`queryset` with what history_problems reads loaded (a fixed number of queries)."""
    return queryset.select_related("listing", "slip").prefetch_related(
        "progress_entries",
        "verifications",
        Prefetch(
            "attachments",
            queryset=HazardAttachment.objects.filter(kind=AttachmentKind.EVIDENCE),
            to_attr="evidence",
        ),
    )


def history_problems(hazard: Hazard, today: datetime.date | None = None) -> list[str]:
    """What in `hazard`'s stored history breaks the workflow's rules (empty: nothing).
    Use on hazards loaded by `with_history`."""
    today = today or timezone.localdate()
    problems: list[str] = []

    def order(label_a: str, a, label_b: str, b) -> None:
        if a is not None and b is not None and a > b:
            problems.append(f"{label_a} {a} 晚于 {label_b} {b}")

    listing = getattr(hazard, "listing", None)
    slip = getattr(hazard, "slip", None)
    progress = list(hazard.progress_entries.all())
    verifications = list(hazard.verifications.all())
    evidence = getattr(hazard, "evidence", None)
    if evidence is None:
        evidence = [a for a in hazard.attachments.all() if a.kind == AttachmentKind.EVIDENCE]

    order("发现日期", hazard.found_on, "今天", today)
    order("发现日期", hazard.found_on, "整改期限", hazard.original_deadline)
    if hazard.is_major:
        if listing is None:
            problems.append("重大隐患没有清单条目（认定）")
        else:
            order("发现日期", hazard.found_on, "认定日期", listing.determined_on)
            order("认定日期", listing.determined_on, "今天", today)
        if hazard.status in PAST_SLIP and slip is None:
            problems.append("重大隐患未交办却已整改或销号")
    elif listing is not None or slip is not None:
        problems.append("一般隐患带有清单条目或交办单")
    if slip is not None:
        if listing is not None:
            order("认定日期", listing.determined_on, "交办日期", slip.issued_on)
        order("交办日期", slip.issued_on, "今天", today)
        if slip.deadline <= slip.issued_on:
            problems.append("交办单的整改时限不晚于交办日期")
    start = slip.issued_on if slip is not None else hazard.found_on
    for entry in progress:
        order("整改起点", start, "进展日期", entry.entry_date)
        order("进展日期", entry.entry_date, "今天", today)
        order("进展日期", entry.entry_date, "销号日期", hazard.closed_on)
    for item in evidence:
        order("发现日期", hazard.found_on, "证据上传日期", timezone.localdate(item.uploaded_at))
        order("证据上传日期", timezone.localdate(item.uploaded_at), "销号日期", hazard.closed_on)
    last_progress = max((e.entry_date for e in progress), default=None)
    for check in verifications:
        order("发现日期", hazard.found_on, "核查日期", check.verified_on)
        order("核查日期", check.verified_on, "今天", today)
    if hazard.is_major and hazard.status in (S.SUBMITTED, S.CLOSED):
        if not progress:
            problems.append("重大隐患申请销号或已销号，台账却没有整改进展")
        if not evidence:
            problems.append("重大隐患申请销号或已销号，却没有整改证据")
    if hazard.status == S.CLOSED:
        if hazard.closed_on is None:
            problems.append("已销号却没有销号日期")
        passed = [v for v in verifications if v.passed]
        if not any(v.verified_on == hazard.closed_on for v in passed):
            problems.append("已销号却没有当日通过的核查记录")
        order("最后进展日期", last_progress, "销号日期", hazard.closed_on)
        order("销号日期", hazard.closed_on, "今天", today)
        if slip is not None:
            order("交办日期", slip.issued_on, "销号日期", hazard.closed_on)
    elif hazard.closed_on is not None:
        problems.append("未销号却有销号日期")
    if hazard.status == S.SUBMITTED and not hazard.rectification_note:
        problems.append("待核查却没有整改情况")
    if hazard.status == S.VOIDED and not hazard.void_reason:
        problems.append("已作废却没有作废原因")
    return problems
