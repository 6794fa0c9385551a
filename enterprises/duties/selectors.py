"""Reads of the duty records: the compliance checks of one enterprise (judged live), the
stored results of a list, and the records as tables."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
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
from enterprises.registry.models import Enterprise
from enterprises.registry.scope import enterprise_scope


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


# the enterprise fields the stored results copy, by the name a condition on the
# enterprise uses, and the status row's field holding the copy
COPIED_FIELDS = {
    "pk": "enterprise_id",
    "id": "enterprise_id",
    "town": "town",
    "town_id": "town_id",
    "industry": "industry",
    "industry_id": "industry_id",
}


def on_statuses(condition: Q) -> Q | None:
    """An enterprise condition (a visibility scope from enterprises/registry/scope.py)
    restated on the stored results' copied columns, so the follow-up query uses their
    indexes without joining the registry; None when it reads a field not copied (an
    expert's grants), and the caller joins instead."""
    restated = Q()
    restated.connector, restated.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            inner = on_statuses(child)
            if inner is None:
                return None
            restated.children.append(inner)
            continue
        key, value = child
        name, separator, lookup = key.partition("__")
        if name not in COPIED_FIELDS:
            return None
        restated.children.append((COPIED_FIELDS[name] + separator + lookup, value))
    return restated


# the registry filters the stored results answer from their copies; any other one (name,
# high-risk flag, 监管空白, business status) is answered by the registry's own query
COPIED_FILTERS = {"town": "town", "industry": "industry"}


def failing_statuses(user, filterset, *, check: str, status: str = ""):
    """The stored results (ComplianceStatus) of `check` that are not a pass, for the
    enterprises `user` may see that match `filterset` (an EnterpriseFilter), in name
    order: one query over indexed columns whatever the number of enterprises. `status`
    narrows to one status."""
    rows = ComplianceStatus.objects.failing().filter(duty=check)
    if status:
        rows = rows.filter(status=status)
    if not filterset.is_valid():
        return rows.none()
    scope = on_statuses(enterprise_scope(user))
    if scope is None:
        rows = rows.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
    else:
        rows = rows.filter(scope)
    others = False
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []) or name == "ordering":
            continue
        if name in COPIED_FILTERS:
            rows = rows.filter(**{COPIED_FILTERS[name]: value})
        else:
            others = True
    if others:
        rows = rows.filter(enterprise__in=filterset.qs.order_by().values("pk"))
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
