"""The plans' appraisal rule (registered by enforcement/appraisal.py):
enforcement.inspections_against_plan.

The unit's inspection plan for the year (enforcement/plans): its targets planned for the
months up to the snapshot's month, counted when done (PlanTarget.done_on, set by the
first inspection that names the target) on or before the snapshot's end, as the plan
page counts them. A unit without a plan for the year has nothing to judge (the summary
says so; the reviewers may adjust). Two queries whatever the number of targets: the
aggregate and the open targets (at most EVIDENCE_LIMIT, by month and primary key).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from enforcement.plans.models import InspectionPlan, PlanTarget
from responsibilities.appraisal_rules import (
    DEPARTMENTS,
    EVIDENCE_LIMIT,
    TOWNS,
    Evidence,
    Measure,
    Period,
)
from responsibilities.models import Organisation

KINDS = TOWNS + DEPARTMENTS


def inspections_against_plan(unit: Organisation, period: Period, params: dict) -> Measure:
    if unit.kind not in KINDS:
        return Measure(counted=0, base=0, summary=_("不适用于该类单位"))
    plan = InspectionPlan.objects.filter(unit=unit, year=period.year).only("pk").first()
    if plan is None:
        return Measure(
            counted=0,
            base=0,
            summary=_("%(year)s年度未制定执法检查计划") % {"year": period.year},
            records_url=f"{reverse('enforcement:plan_progress')}?year={period.year}",
        )
    last_month = period.end.month  # the snapshot is never before the year (open_round)
    targets = PlanTarget.objects.filter(plan=plan, month__lte=last_month)
    done = Q(done_on__isnull=False, done_on__lte=period.end)
    figures = targets.aggregate(base=Count("pk"), counted=Count("pk", filter=done))
    plan_url = reverse("enforcement:plan_detail", args=[plan.pk])
    failures = []
    for target in (
        targets.exclude(done)
        .select_related("enterprise")
        .only("pk", "month", "kind", "enterprise__name")
        .order_by("month", "pk")[:EVIDENCE_LIMIT]
    ):
        # a target done after the snapshot was open at it: the note says no more, so a
        # later inspection does not change the stored evidence
        note = _("计划 %(month)s 月检查（%(kind)s），截至 %(end)s 未检查")
        failures.append(
            Evidence(
                label=target.enterprise.name,
                note=note
                % {
                    "month": target.month,
                    "kind": target.get_kind_display(),
                    "end": period.end,
                },
                url=f"{plan_url}?{urlencode({'month': target.month})}",
            )
        )
    return Measure(
        counted=figures["counted"],
        base=figures["base"],
        failures=failures,
        summary=_("1—%(month)s 月计划检查 %(base)s 家次，已完成 %(counted)s 家次")
        % {"month": last_month, **figures},
        records_url=plan_url,
    )
