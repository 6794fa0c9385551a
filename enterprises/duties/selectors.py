"""Reads of the duty records: the compliance checks of one enterprise (judged live), the
stored results of a list, and the records as tables."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext

from enterprises.duties import compliance
from enterprises.duties.forms import DUTY_KINDS
from enterprises.duties.models import (
    FILE_KINDS,
    ComplianceStatus,
    InsuranceMandate,
    SafetyCostObligation,
    SafetyCostRate,
)


def mandated_industry_ids() -> set[int]:
    return set(InsuranceMandate.objects.values_list("industry_id", flat=True))


@dataclass(frozen=True)
class DutyReference:
    """The reference rows the checks read, fetched once for a whole list."""

    mandated: set[int] = field(default_factory=set)
    cost_obligated: set[int] = field(default_factory=set)
    cost_rates: dict[int, list] = field(default_factory=dict)


def duty_reference() -> DutyReference:
    """Mandates, safety-cost obligations and rate tables (three queries)."""
    rates: dict[int, list] = defaultdict(list)
    for rate in SafetyCostRate.objects.all():
        rates[rate.industry_id].append(rate)
    return DutyReference(
        mandated=mandated_industry_ids(),
        cost_obligated=set(SafetyCostObligation.objects.values_list("industry_id", flat=True)),
        cost_rates=dict(rates),
    )


def compliance_of(enterprise, *, today: datetime.date, reference: DutyReference | None = None):
    """The check results of one enterprise fetched `with_duty_records()`."""
    if reference is None:
        reference = duty_reference()
    return compliance.check_all(
        enterprise,
        today=today,
        insurance_mandatory=enterprise.industry_id in reference.mandated,
        cost_obligated=enterprise.industry_id in reference.cost_obligated,
        cost_rates=reference.cost_rates.get(enterprise.industry_id, ()),
    )


def failing_statuses(enterprises, *, check: str, status: str = ""):
    """The stored results (ComplianceStatus) of `check` that are not a pass, for the
    enterprises of `enterprises` (the user's visible ones, filtered), in name order; one
    indexed query whatever the number of enterprises. `status` narrows to one status."""
    rows = ComplianceStatus.objects.failing().filter(duty=check)
    if status:
        rows = rows.filter(status=status)
    if enterprises.query.where:  # a scope or a filter: the same rows as the registry's
        rows = rows.filter(enterprise__in=enterprises.values("pk"))
    return rows.select_related("town", "industry").order_by("enterprise_name", "enterprise_id")


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
    blocks = []
    for slug, kind in DUTY_KINDS.items():
        fields = [f for f in kind.form._meta.fields if f != "file"]
        rows = []
        for record in getattr(enterprise, RELATED_NAMES[slug]).all():
            download = ""
            if slug == "documents":
                download = reverse("enterprises:duty_document", args=[enterprise.pk, record.pk])
            elif slug in FILE_KINDS and record.file:
                download = reverse("enterprises:duty_file", args=[enterprise.pk, slug, record.pk])
            rows.append(
                {
                    "pk": record.pk,
                    "cells": [_display(record, f) for f in fields],
                    "download_url": download,
                }
            )
        headers = [str(kind.model._meta.get_field(f).verbose_name) for f in fields]
        if slug in FILE_KINDS:
            headers.append(gettext("文件"))
        blocks.append(
            {"kind": kind, "headers": headers, "rows": rows, "has_files": slug in FILE_KINDS}
        )
    return blocks
