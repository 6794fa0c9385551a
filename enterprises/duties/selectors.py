"""Reads that combine the duty records with the compliance checks."""

from __future__ import annotations

import datetime

from enterprises import compliance
from enterprises.duties import InsuranceMandate


def mandated_industry_ids() -> set[int]:
    return set(InsuranceMandate.objects.values_list("industry_id", flat=True))


def compliance_of(enterprise, *, today: datetime.date, mandated: set[int] | None = None):
    """The check results of one enterprise fetched `with_duty_records()`."""
    if mandated is None:
        mandated = mandated_industry_ids()
    return compliance.check_all(
        enterprise, today=today, insurance_mandatory=enterprise.industry_id in mandated
    )


def failing_enterprises(queryset, *, check: str, today: datetime.date) -> list[tuple]:
    """(enterprise, result) for each enterprise of `queryset` whose `check` is not a pass.

    Costs a fixed number of queries (one per kind of record); the checks run in Python
    because their rules (months, thresholds) are not worth duplicating in SQL.
    """
    mandated = mandated_industry_ids()
    rows = []
    for enterprise in queryset.with_duty_records():
        for result in compliance_of(enterprise, today=today, mandated=mandated):
            if result.check == check and not result.ok:
                rows.append((enterprise, result))
    return rows


RELATED_NAMES = {
    "staffing": "staffing_records",
    "documents": "duty_documents",
    "costs": "safety_costs",
    "insurance": "insurance_policies",
    "certificates": "certificates",
    "plans": "emergency_plans",
    "drills": "drills",
    "training": "training_records",
}


def _display(record, name: str) -> str:
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "file":
        return value.name.rsplit("/", 1)[-1] if value else ""
    return "" if value in (None, "") else str(value)


def duty_blocks(enterprise) -> list[dict]:
    """The prefetched duty records of `enterprise`, by kind, ready for a table."""
    from django.urls import reverse

    from enterprises.duty_forms import DUTY_KINDS

    blocks = []
    for slug, kind in DUTY_KINDS.items():
        fields = [f for f in kind.form._meta.fields if f != "file"]
        rows = []
        for record in getattr(enterprise, RELATED_NAMES[slug]).all():
            download = (
                reverse("enterprises:duty_document", args=[enterprise.pk, record.pk])
                if slug == "documents"
                else ""
            )
            rows.append(
                {
                    "pk": record.pk,
                    "cells": [_display(record, f) for f in fields],
                    "download_url": download,
                }
            )
        headers = [str(kind.model._meta.get_field(f).verbose_name) for f in fields]
        if slug == "documents":
            headers.append("文件")
        blocks.append({"kind": kind, "headers": headers, "rows": rows})
    return blocks


def hazards_found_since(*, since: datetime.date):
    """Hazards entered in the ledger (any source: inspections, expert checks, reports,
    the enterprise's own checks) found on or after `since`, voided entries left out.

    The one place this app reads the hazards ledger; hazards.models.Hazard is the source.
    """
    from hazards.models import Hazard, HazardStatus

    return Hazard.objects.filter(found_on__gte=since).exclude(status=HazardStatus.VOIDED)


def high_score_with_hazards(queryset, *, today: datetime.date):
    """Enterprises of `queryset` whose latest submitted or accepted self-assessment scores
    at least SELF_ASSESSMENT_FLAG_MIN_TOTAL while at least SELF_ASSESSMENT_FLAG_MIN_HAZARDS
    hazards were found there in the last SELF_ASSESSMENT_FLAG_WINDOW_DAYS days — a
    self-assessment that does not match what inspections and the ledger see.

    Annotates `assessed_total` and `hazards_found`; one query.
    """
    from django.conf import settings
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from enterprises.assessment import SelfAssessment

    since = today - datetime.timedelta(days=settings.SELF_ASSESSMENT_FLAG_WINDOW_DAYS)
    latest_total = (
        SelfAssessment.objects.submitted()
        .filter(enterprise=OuterRef("pk"))
        .order_by("-period__year")
        .values("total")[:1]
    )
    found = (
        hazards_found_since(since=since)
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
