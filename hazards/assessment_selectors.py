"""Reads joining the self-assessment and the hazards ledger: whose high self-assessment
score does not match the hazards others found there. It lives above both apps (ADR 0008)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from enterprises.assessment.models import SelfAssessment
from hazards.models import Hazard, HazardSource, HazardStatus


def hazards_found_by_others_since(*, since: datetime.date):
    """Hazards found at an enterprise by someone else (inspections, mutual and expert
    checks, reports, referrals: every source but the enterprise's own 自查自报) on or
    after `since`, voided entries left out. The enterprise's own reports do not count
    against it: counting them would punish honest reporting (issue 8 item 5)."""
    return (
        Hazard.objects.filter(found_on__gte=since)
        .exclude(source=HazardSource.SELF_CHECK)
        .exclude(status=HazardStatus.VOIDED)
    )


def high_score_with_hazards(queryset, *, today: datetime.date):
    """Enterprises of `queryset` whose latest submitted or accepted self-assessment scores
    at least SELF_ASSESSMENT_FLAG_MIN_TOTAL while others (not the enterprise itself) found
    at least SELF_ASSESSMENT_FLAG_MIN_HAZARDS hazards there in the last
    SELF_ASSESSMENT_FLAG_WINDOW_DAYS days — a self-assessment that does not match what
    inspections and reports see.

    Annotates `assessed_total` and `hazards_found`; one query.
    """
    since = today - datetime.timedelta(days=settings.SELF_ASSESSMENT_FLAG_WINDOW_DAYS)
    latest_total = (
        SelfAssessment.objects.submitted()
        .filter(enterprise=OuterRef("pk"))
        .order_by("-period__year")
        .values("total")[:1]
    )
    found = (
        hazards_found_by_others_since(since=since)
        .filter(enterprise=OuterRef("pk"))
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.annotate(
            assessed_total=Subquery(latest_total),
            hazards_found=Coalesce(Subquery(found, output_field=IntegerField()), 0),
        )
        .filter(
            assessed_total__gte=settings.SELF_ASSESSMENT_FLAG_MIN_TOTAL,
            hazards_found__gte=settings.SELF_ASSESSMENT_FLAG_MIN_HAZARDS,
        )
        .order_by("-hazards_found", "name")
    )
