"""The enterprises' appraisal rule (述职评议; responsibilities/appraisal_rules.py),
registered in EnterprisesConfig.ready: enterprises.self_assessment_coverage.

The unit's operating enterprises (在营; a town's: registered in the town; a department's:
in the industries it leads (牵头) in the year's supervision map), counted when they submitted a self-assessment (企业安全生产自评) within the
year up to the snapshot: submitted_at in the year and on or before the snapshot's end,
and not a draft now (a returned one was submitted all the same). Two queries whatever the
number of enterprises: the aggregate and the enterprises without one (at most
EVIDENCE_LIMIT, by primary key).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.registry.models import Enterprise, EnterpriseStatus
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


def self_assessment_coverage(unit: Organisation, period: Period, params: dict) -> Measure:
    if unit.kind in TOWNS:
        scope = Q(town_id=unit.pk)
    elif unit.kind == OrganisationKind.DEPARTMENT:
        scope = Q(industry_id__in=industries_led_in(period.year, unit.pk))
    else:
        return Measure(counted=0, base=0, summary=_("不适用于该类单位"))
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time(), tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(), tz)
    submitted = Exists(
        SelfAssessment.objects.filter(
            enterprise_id=OuterRef("pk"),
            submitted_at__gte=start,
            submitted_at__lt=end,
        ).exclude(status=AssessmentStatus.DRAFT)
    )
    # the registry keeps no history of the status, and a registry row's created_at is when
    # it was entered into the portal (an import), not the enterprise's founding: neither
    # can be judged at the snapshot, so the enterprises operating now are judged
    judged = Enterprise.objects.filter(scope, status=EnterpriseStatus.OPERATING).annotate(
        submitted=submitted
    )
    figures = judged.aggregate(base=Count("pk"), counted=Count("pk", filter=Q(submitted=True)))
    detail_url = record_url("enterprises:detail")
    failures = [
        Evidence(
            label=enterprise.name,
            note=_("截至 %(end)s 未提交%(year)s年度安全生产自评")
            % {"end": period.end, "year": period.year},
            url=detail_url(enterprise.pk),
        )
        for enterprise in judged.filter(submitted=False)
        .only("pk", "name")
        .order_by("pk")[:EVIDENCE_LIMIT]
    ]
    filters = {"status": EnterpriseStatus.OPERATING}
    if unit.kind in TOWNS:
        filters = {"town": unit.pk, **filters}
    return Measure(
        counted=figures["counted"],
        base=figures["base"],
        failures=failures,
        summary=_("在营企业 %(base)s 家，%(start)s 至 %(end)s 已提交自评 %(counted)s 家")
        % {"start": period.start, "end": period.end, **figures},
        records_url=f"{reverse('enterprises:list')}?{urlencode(filters)}",
    )


def register_rules() -> None:
    register(
        Rule(
            code="enterprises.self_assessment_coverage",
            label=gettext_lazy("企业自评覆盖率"),
            description=gettext_lazy(
                "本单位在营企业（镇街：辖区企业；部门：当年牵头监管行业的企业）中，"
                "考核年度内截至数据截止日提交安全生产自评的占比；未提交的逐家列为扣分依据。"
            ),
            kinds=TOWNS + DEPARTMENTS,
            measure=self_assessment_coverage,
            method=Method.RATE,
        )
    )
