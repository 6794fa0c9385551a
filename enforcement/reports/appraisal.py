"""The whistleblower reports' appraisal rule (registered by enforcement/appraisal.py):
enforcement.reports_handled_on_time.

The reports a town or department handled (Report.unit) that were accepted in the year up
to the snapshot, judged as they stood on the snapshot date: handled on time when verified
by the verification deadline and fed back to the reporter by the feedback deadline, both
on or before the snapshot; late when a deadline passed before its step was done. A report
still within its deadlines on the snapshot date is neither and is not judged. A step done
after the snapshot counts as not done then, so a recomputation after later work gives the
same result. Evidence names the report by its number and the reported enterprise, never
the reporter. One aggregate query and one for the late reports.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from enforcement.reports.models import Report
from enforcement.reports.statistics import COUNTED
from responsibilities.appraisal_rules import (
    DEPARTMENTS,
    EVIDENCE_LIMIT,
    TOWNS,
    Evidence,
    Measure,
    Period,
    record_url,
)
from responsibilities.models import Organisation

KINDS = TOWNS + DEPARTMENTS


def _conditions(snapshot):
    verified = Q(verified_on__lte=snapshot)
    fed_back = Q(feedback_on__lte=snapshot)
    on_time = (
        verified
        & fed_back
        & Q(verified_on__lte=F("verify_due"), feedback_on__lte=F("feedback_due"))
    )
    late = (
        (verified & Q(verified_on__gt=F("verify_due")))
        | (~verified & Q(verify_due__lt=snapshot))
        | (fed_back & Q(feedback_on__gt=F("feedback_due")))
        | (verified & ~fed_back & Q(feedback_due__lt=snapshot))
    )
    return on_time, late


def reports_handled_on_time(unit: Organisation, period: Period, params: dict) -> Measure:
    if unit.kind not in KINDS:
        return Measure(counted=0, base=0, summary=_("不适用于该类单位"))
    rows = Report.objects.filter(
        COUNTED, unit_id=unit.pk, accepted_on__gte=period.start, accepted_on__lte=period.end
    )
    on_time, late = _conditions(period.end)
    figures = rows.aggregate(
        on_time=Count("pk", filter=on_time), late=Count("pk", filter=late & ~on_time)
    )
    late_rows = (
        rows.filter(late & ~on_time)
        .only("pk", "enterprise_name", "accepted_on", "verify_due", "feedback_due")
        .order_by("pk")[:EVIDENCE_LIMIT]
    )
    url = record_url("enforcement:report_detail")
    failures = [
        Evidence(
            label=_("举报 %(number)s：%(enterprise)s")
            % {"number": report.pk, "enterprise": report.enterprise_name[:80]},
            note=_("%(accepted)s 受理，核查期限 %(verify)s，反馈期限 %(feedback)s，未按期办结")
            % {
                "accepted": report.accepted_on,
                "verify": report.verify_due or "—",
                "feedback": report.feedback_due or "—",
            },
            url=url(report.pk),
        )
        for report in late_rows
    ]
    base = figures["on_time"] + figures["late"]
    return Measure(
        counted=figures["on_time"],
        base=base,
        failures=failures,
        summary=_("应办结 %(base)s 件，按期办结 %(counted)s 件")
        % {"base": base, "counted": figures["on_time"]},
        records_url=f"{reverse('enforcement:report_list')}?{urlencode({'unit': unit.pk})}",
    )
