"""The hazard ledger's appraisal rules (述职评议; responsibilities/appraisal_rules.py),
registered in HazardsConfig.ready.

- hazards.major_closed_on_time: the unit's major hazards whose deadline in force falls in
  the year, on or before the data snapshot, counted when closed (销号) by that deadline.
- hazards.general_rectification_rate: the unit's general hazards found in the year up to
  the snapshot, counted when closed on or before the snapshot's end.

A unit's hazards: a town's are those found in it (Hazard.town, as the town's ledger
shows); a department's those in the industries it leads (牵头) in the year's supervision
map, plus those it supervises on an assignment slip (as hazards/permissions.py scopes a
department). Records dated after the snapshot do not count: a hazard found after it, a
closure after it (the hazard was still open at the snapshot), an extension approved after
it (the earlier deadline was in force), a determination as major after it (it was still a
general hazard). Voided hazards (entered by mistake) never count. Each rule runs a fixed
number of queries whatever the number of hazards: one aggregate for the figures and one
query for the failing rows (at most EVIDENCE_LIMIT, by primary key).
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazards.models import (
    AssignmentSlip,
    DeadlineExtension,
    ExtensionStatus,
    Hazard,
    HazardClass,
    HazardStatus,
    MajorHazardListing,
)
from responsibilities.appraisal_rules import (
    DEPARTMENTS,
    EVIDENCE_LIMIT,
    TOWNS,
    Evidence,
    Measure,
    Method,
    Period,
    Rule,
    industries_led_in,
    record_url,
    register,
)
from responsibilities.models import Organisation, OrganisationKind

KINDS = TOWNS + DEPARTMENTS


def unit_hazards_q(unit: Organisation, year: int) -> Q | None:
    """The unit's hazards as a Q on Hazard, or None when the rule does not apply."""
    if unit.kind in TOWNS:
        return Q(town_id=unit.pk)
    if unit.kind == OrganisationKind.DEPARTMENT:
        supervised = AssignmentSlip.objects.filter(supervising_unit_id=unit.pk)
        return Q(industry_id__in=industries_led_in(year, unit.pk)) | Q(
            pk__in=supervised.values("hazard_id")
        )
    return None


def _determined_after(period: Period):
    """Whether the hazard was determined 重大 after the snapshot (so general at it)."""
    return Exists(
        MajorHazardListing.objects.filter(
            hazard_id=OuterRef("pk"), determined_on__gt=period.snapshot
        )
    )


def deadline_in_force(period: Period):
    """The hazard's deadline at the snapshot: the current one, unless an extension was
    approved after the snapshot, then the deadline that extension replaced."""
    later = (
        DeadlineExtension.objects.filter(
            hazard_id=OuterRef("pk"),
            status=ExtensionStatus.APPROVED,
            decided_at__date__gt=period.snapshot,
        )
        .order_by("decided_at", "pk")
        .values("old_deadline")[:1]
    )
    return Coalesce(Subquery(later), F("deadline"))


def _list_url(unit: Organisation, **filters) -> str:
    if unit.kind in TOWNS:
        filters = {"town": unit.pk, **filters}
    return f"{reverse('hazards:list')}?{urlencode(filters)}"


def _label(row) -> str:
    return f"{row.enterprise.name}：{row.description[:40]}"


def major_closed_on_time(unit: Organisation, period: Period, params: dict) -> Measure:
    scope = unit_hazards_q(unit, period.year)
    if scope is None:
        return Measure(counted=0, base=0, summary=_("不适用于该类单位"))
    judged = (
        Hazard.objects.filter(scope, hazard_class=HazardClass.MAJOR, found_on__lte=period.end)
        .exclude(status=HazardStatus.VOIDED)
        .exclude(_determined_after(period))
        .annotate(in_force=deadline_in_force(period))
        .filter(in_force__gte=period.start, in_force__lte=period.end)
    )
    on_time = Q(closed_on__isnull=False, closed_on__lte=F("in_force"))
    figures = judged.aggregate(base=Count("pk"), counted=Count("pk", filter=on_time))
    failures = []
    detail_url = record_url("hazards:detail")
    late = (
        judged.exclude(on_time)
        .select_related("enterprise")
        .only("pk", "description", "closed_on", "enterprise__name")
        .order_by("pk")[:EVIDENCE_LIMIT]
    )
    for hazard in late:
        if hazard.closed_on is not None and hazard.closed_on <= period.end:
            note = _("整改期限 %(deadline)s，%(closed)s 销号（逾期 %(days)s 天）") % {
                "deadline": hazard.in_force,
                "closed": hazard.closed_on,
                "days": (hazard.closed_on - hazard.in_force).days,
            }
        else:
            note = _("整改期限 %(deadline)s，截至 %(end)s 未销号") % {
                "deadline": hazard.in_force,
                "end": period.end,
            }
        failures.append(
            Evidence(
                label=_label(hazard),
                note=note,
                url=detail_url(hazard.pk),
            )
        )
    return Measure(
        counted=figures["counted"],
        base=figures["base"],
        failures=failures,
        summary=_("整改期限在 %(start)s 至 %(end)s 的重大隐患 %(base)s 项，按期销号 %(counted)s 项")
        % {"start": period.start, "end": period.end, **figures},
        records_url=_list_url(unit, hazard_class=HazardClass.MAJOR),
    )


def general_rectification_rate(unit: Organisation, period: Period, params: dict) -> Measure:
    scope = unit_hazards_q(unit, period.year)
    if scope is None:
        return Measure(counted=0, base=0, summary=_("不适用于该类单位"))
    judged = Hazard.objects.filter(
        scope,
        Q(hazard_class=HazardClass.GENERAL) | _determined_after(period),
        found_on__gte=period.start,
        found_on__lte=period.end,
    ).exclude(status=HazardStatus.VOIDED)
    closed = Q(closed_on__isnull=False, closed_on__lte=period.end)
    figures = judged.aggregate(base=Count("pk"), counted=Count("pk", filter=closed))
    detail_url = record_url("hazards:detail")
    open_at_end = (
        judged.exclude(closed)
        .select_related("enterprise")
        .only("pk", "description", "found_on", "deadline", "enterprise__name")
        .order_by("pk")[:EVIDENCE_LIMIT]
    )
    failures = [
        Evidence(
            label=_label(hazard),
            note=_("%(found)s 发现，整改期限 %(deadline)s，截至 %(end)s 未整改销号")
            % {"found": hazard.found_on, "deadline": hazard.deadline, "end": period.end},
            url=detail_url(hazard.pk),
        )
        for hazard in open_at_end
    ]
    return Measure(
        counted=figures["counted"],
        base=figures["base"],
        failures=failures,
        summary=_("%(start)s 至 %(end)s 发现一般隐患 %(base)s 项，已整改销号 %(counted)s 项")
        % {"start": period.start, "end": period.end, **figures},
        records_url=_list_url(
            unit,
            hazard_class=HazardClass.GENERAL,
            found_after=period.start.isoformat(),
            found_before=period.end.isoformat(),
        ),
    )


def register_rules() -> None:
    register(
        Rule(
            code="hazards.major_closed_on_time",
            label=gettext_lazy("重大隐患按期销号率"),
            description=gettext_lazy(
                "整改期限（含已批准的延期）在考核年度内、且不晚于数据截止日的重大事故隐患，"
                "在期限内销号的占比；逾期销号或未销号的逐项列为扣分依据。镇街按隐患所在镇街统计，"
                "部门按当年监管责任划分中牵头的行业及其督办的隐患统计。"
            ),
            kinds=KINDS,
            measure=major_closed_on_time,
            method=Method.RATE,
        )
    )
    register(
        Rule(
            code="hazards.general_rectification_rate",
            label=gettext_lazy("一般隐患整改率"),
            description=gettext_lazy(
                "考核年度内（截至数据截止日）发现的一般事故隐患，截至数据截止日已整改销号的占比；"
                "仍未销号的逐项列为扣分依据。"
            ),
            kinds=KINDS,
            measure=general_rectification_rate,
            method=Method.RATE,
        )
    )
