"""The accidents' appraisal rule (registered by enforcement/appraisal.py):
enforcement.serious_accident_veto (一票否决).

Accidents of grade 较大 or worse that occurred in the year, up to the snapshot, in the
unit's area: a town's are those that happened in it (Accident.town); a department's those
in the industries it leads (牵头) in the year's supervision map. The grade is the one on
record at the snapshot: a 补报 after it that changed the grade is not yet known then.
When there is any, the measure is counted 0 of base 1 (so it fails and vetoes) with each
accident as evidence; when there is none, 0 of 0 (no veto). One query.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from enforcement.accidents.models import Accident, AccidentGrade, AccidentSupplement
from responsibilities.appraisal_rules import (
    DEPARTMENTS,
    EVIDENCE_LIMIT,
    TOWNS,
    Evidence,
    Measure,
    Period,
    industries_led_in,
)
from responsibilities.models import Organisation, OrganisationKind

KINDS = TOWNS + DEPARTMENTS
SERIOUS_GRADES = (
    AccidentGrade.LARGER,
    AccidentGrade.MAJOR,
    AccidentGrade.ESPECIALLY_SERIOUS,
)


def grade_at(snapshot: datetime.date):
    """The accident's grade at the end of `snapshot`: the current grade, unless a 补报
    recorded after it changed the grade, then the grade before the first such 补报."""
    tz = timezone.get_current_timezone()
    after = datetime.datetime.combine(snapshot + datetime.timedelta(days=1), datetime.time(), tz)
    later = (
        AccidentSupplement.objects.filter(accident_id=OuterRef("pk"), recorded_at__gte=after)
        .order_by("recorded_at", "pk")
        .values("old_grade")[:1]
    )
    return Coalesce(Subquery(later), F("grade"))


def serious_accident_veto(unit: Organisation, period: Period, params: dict) -> Measure:
    if unit.kind in TOWNS:
        scope = Q(town_id=unit.pk)
    elif unit.kind == OrganisationKind.DEPARTMENT:
        scope = Q(industry_id__in=industries_led_in(period.year, unit.pk))
    else:
        return Measure(counted=0, base=0, summary=_("不适用于该类单位"))
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time(), tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(), tz)
    serious = list(
        Accident.objects.filter(scope, occurred_at__gte=start, occurred_at__lt=end)
        .annotate(grade_then=grade_at(period.snapshot))
        .filter(grade_then__in=SERIOUS_GRADES)
        .only("pk", "party_name", "occurred_at", "deaths", "serious_injuries", "place")
        .order_by("occurred_at", "pk")[:EVIDENCE_LIMIT]
    )
    grades = dict(AccidentGrade.choices)
    failures = [
        Evidence(
            label=_("%(date)s %(party)s（%(place)s）")
            % {
                "date": timezone.localtime(accident.occurred_at).date(),
                "party": accident.party_name,
                "place": accident.place,
            },
            note=_("%(grade)s：死亡 %(deaths)s 人，重伤 %(injuries)s 人")
            % {
                "grade": grades[accident.grade_then],
                "deaths": accident.deaths,
                "injuries": accident.serious_injuries,
            },
            url=reverse("enforcement:accident_detail", args=[accident.pk]),
        )
        for accident in serious
    ]
    filters = {"year": period.year}
    if unit.kind in TOWNS:
        filters["town"] = unit.pk
    records_url = f"{reverse('enforcement:accident_list')}?{urlencode(filters)}"
    if not failures:
        return Measure(
            counted=0,
            base=0,
            summary=_("%(start)s 至 %(end)s 未发生较大及以上生产安全事故")
            % {"start": period.start, "end": period.end},
            records_url=records_url,
        )
    return Measure(
        counted=0,
        base=1,
        failures=failures,
        summary=_("%(start)s 至 %(end)s 发生较大及以上生产安全事故 %(count)s 起，一票否决")
        % {"start": period.start, "end": period.end, "count": len(failures)},
        records_url=records_url,
    )
