"""Keeping the stored compliance results (ComplianceStatus, ADR 0012).

The rules stay in enterprises/duties/compliance.py; this module runs them and stores what
they say, set-based: a batch of enterprises costs a fixed number of queries (the lock, the
records of each kind, one upsert), whatever its size.

Who calls what:
- every write of a duty record, of a registry entry and of the duty reference data calls
  `judge_enterprises` (or `judge_industries`) in its own transaction;
- bulk writers (the registry import, the demo loader, generate_scale) call it once at the
  end with every enterprise they touched;
- the nightly task calls `recheck_due`: the rows whose `next_change_on` has come, and
  enterprises never judged;
- `manage.py recheck_compliance --all` rebuilds everything (after changing a setting the
  rules read, such as PORTAL_DUTY_DUE_SOON_DAYS).

Messages are stored in the default language (Chinese), whoever caused the judgement, as
the audit log stores its labels.
"""

from __future__ import annotations

import copy
import datetime
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from enterprises.duties.compliance import next_changes
from enterprises.duties.models import ComplianceStatus
from enterprises.duties.selectors import DutyReference, compliance_of, duty_reference
from enterprises.registry.models import Enterprise
from responsibilities.models import Industry
from safetyportal.core.figures import touch

# the stored results' topic (ADR 0017): the dashboards keep their failing counts until a
# judgement writes (bulk writes send no signal: touched here; saves are watched in cards.py)
COMPLIANCE_TOPIC = "compliance"

BATCH_SIZE = 2000
UPDATED_FIELDS = [
    "status",
    "message",
    "next_change_on",
    "checked_on",
    "checked_at",
    "enterprise_name",
    "town",
    "industry",
]


def _batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _judge_batch(ids: list[int], *, today: datetime.date, reference: DutyReference) -> int:
    """Judge the enterprises `ids` and upsert their results, in one transaction (a
    savepoint inside the caller's). The enterprise rows are locked first (FOR NO KEY
    UPDATE: records can still be inserted meanwhile), so two judgements of the same
    enterprise run one after the other and the second reads what the first's writer
    committed: the last judgement always sees the latest records."""
    now = timezone.now()
    rows = []
    with transaction.atomic():
        list(
            Enterprise.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        enterprises = Enterprise.objects.filter(pk__in=ids).order_by().with_duty_records()
        with translation.override(settings.LANGUAGE_CODE):
            for enterprise in enterprises:
                changes = next_changes(
                    enterprise,
                    today=today,
                    cost_obligated=enterprise.industry_id in reference.cost_obligated,
                )
                for result in compliance_of(enterprise, today=today, reference=reference):
                    rows.append(
                        ComplianceStatus(
                            enterprise_id=enterprise.pk,
                            duty=result.check,
                            status=result.status,
                            message=result.message,
                            next_change_on=changes[result.check],
                            checked_on=today,
                            checked_at=now,
                            enterprise_name=enterprise.name,
                            town_id=enterprise.town_id,
                            industry_id=enterprise.industry_id,
                        )
                    )
        ComplianceStatus.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["enterprise", "duty"],
            update_fields=UPDATED_FIELDS,
        )
        touch(COMPLIANCE_TOPIC)
    return len(ids)


def judge_enterprises(
    ids: Iterable[int], *, today: datetime.date | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Judge the enterprises `ids` now and store every check's result; returns how many
    enterprises. Called by each service that changes what a check reads, in its own
    transaction."""
    today = today or timezone.localdate()
    reference = duty_reference()
    count = 0
    for batch in _batches(sorted(set(ids)), batch_size):
        count += _judge_batch(batch, today=today, reference=reference)
    return count


# what the checks (compliance.check_all, next_changes) read of an enterprise besides its
# duty records: its industry (the reference data and the industry's high-risk flag), its
# employee count (thresholds, and the messages quote it) and its own high-risk flag. Two
# enterprises without records that agree on these get the same results.
_SIGNATURE = ("industry_id", "employee_count", "is_high_risk")


def judge_new_enterprises(
    enterprises: Iterable[Enterprise], *, today: datetime.date | None = None
) -> int:
    """`judge_enterprises` for enterprises created in the caller's transaction (the
    registry import's bulk insert), same results, a fraction of the cost.

    Such an enterprise has no duty record (no other transaction can see it to add one
    before the commit), and nothing is stored for it yet; so its results follow from its
    registry fields alone (`_SIGNATURE`): the checks run once per distinct signature, on a
    copy of one of them whose records are known to be none (no prefetch), and every
    result row is written with one COPY (no lock, no upsert: no row exists to meet).
    Returns how many enterprises."""
    today = today or timezone.localdate()
    enterprises = list(enterprises)
    if not enterprises:
        return 0
    reference = duty_reference()
    industries = Industry.objects.in_bulk({e.industry_id for e in enterprises})
    # no records: evaluated empty querysets, shared (read only)
    empty = {
        name: _none(name)
        for name in Enterprise.objects.with_duty_records()._prefetch_related_lookups
    }
    now = timezone.now()
    judged: dict[tuple, list[tuple]] = {}
    rows: list[tuple] = []
    with translation.override(settings.LANGUAGE_CODE):
        for enterprise in enterprises:
            signature = tuple(getattr(enterprise, name) for name in _SIGNATURE)
            results = judged.get(signature)
            if results is None:
                blank = copy.copy(enterprise)
                blank.industry = industries[enterprise.industry_id]
                blank._prefetched_objects_cache = dict(empty)
                changes = next_changes(
                    blank,
                    today=today,
                    cost_obligated=enterprise.industry_id in reference.cost_obligated,
                )
                results = judged[signature] = [
                    (str(result.check), str(result.status), result.message, changes[result.check])
                    for result in compliance_of(blank, today=today, reference=reference)
                ]
            rows += [
                (
                    enterprise.pk,
                    duty,
                    status,
                    message,
                    change,
                    today,
                    now,
                    enterprise.name,
                    enterprise.town_id,
                    enterprise.industry_id,
                )
                for duty, status, message, change in results
            ]
    if connection.vendor == "postgresql":
        _copy_statuses(rows)
    else:
        ComplianceStatus.objects.bulk_create(
            ComplianceStatus(**dict(zip(_COPY_ATTNAMES, row, strict=True))) for row in rows
        )
    touch(COMPLIANCE_TOPIC)
    return len(enterprises)


def _none(relation: str):
    """What with_duty_records() prefetches for an enterprise without such records: an
    evaluated, empty queryset (read without a query, as a prefetch's)."""
    empty = getattr(Enterprise, relation).rel.related_model.objects.none()
    empty._result_cache = []
    empty._prefetch_done = True
    return empty


# the columns of a new result row, in the order judge_new_enterprises builds them
_COPY_ATTNAMES = [
    "enterprise_id",
    "duty",
    "status",
    "message",
    "next_change_on",
    "checked_on",
    "checked_at",
    "enterprise_name",
    "town_id",
    "industry_id",
]


def _copy_text(value) -> str:
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _copy_statuses(rows: list[tuple]) -> None:
    """COPY the new result rows in (PostgreSQL's text format: tabs, line breaks and
    backslashes escaped, \\N for null)."""
    fields = {field.attname: field for field in ComplianceStatus._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(fields[name].column) for name in _COPY_ATTNAMES)
    buffer = io.StringIO()
    buffer.writelines(
        "\t".join("\\N" if value is None else _copy_text(value) for value in row) + "\n"
        for row in rows
    )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {quote(ComplianceStatus._meta.db_table)} ({columns}) FROM STDIN", buffer
        )


def judge_enterprise(enterprise, *, today: datetime.date | None = None) -> None:
    judge_enterprises([enterprise.pk], today=today)


def judge_industries(industry_ids: Iterable[int], *, today: datetime.date | None = None) -> int:
    """Judge every enterprise of these industries again (their reference data changed:
    an insurance mandate, a safety-cost obligation or rate, the high-risk flag)."""
    industry_ids = list(industry_ids)
    if not industry_ids:
        return 0
    ids = Enterprise.objects.filter(industry_id__in=industry_ids).values_list("pk", flat=True)
    return judge_enterprises(ids.iterator(chunk_size=BATCH_SIZE), today=today)


def judge_all(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Rebuild every enterprise's results (`recheck_compliance --all`), batch by batch,
    each batch in its own transaction when called outside one."""
    today = today or timezone.localdate()
    reference = duty_reference()
    count, last = 0, 0
    while True:
        batch = list(
            Enterprise.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return count
        count += _judge_batch(batch, today=today, reference=reference)
        last = batch[-1]


def recheck_due(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The nightly recheck: judge again the enterprises with a result whose
    `next_change_on` has come, and those never judged; returns how many. Safe to run
    twice: a judged result's next change is after `today`, so a second run finds nothing."""
    today = today or timezone.localdate()
    reference = duty_reference()
    count, last = 0, 0
    due = ComplianceStatus.objects.due_for_recheck(today)
    while True:
        batch = list(
            due.filter(enterprise_id__gt=last)
            .order_by("enterprise_id")
            .values_list("enterprise_id", flat=True)
            .distinct()[:batch_size]
        )
        if not batch:
            break
        count += _judge_batch(batch, today=today, reference=reference)
        last = batch[-1]
    unjudged = Enterprise.objects.filter(compliance_statuses__isnull=True).values_list(
        "pk", flat=True
    )
    for batch in _batches(list(unjudged.order_by("pk")), batch_size):
        count += _judge_batch(batch, today=today, reference=reference)
    return count


def _reference_by_industry(reference: DutyReference) -> dict[int, tuple]:
    """What the checks read of the reference data, per industry, comparable."""
    industries = reference.mandated | reference.cost_obligated | set(reference.cost_rates)
    return {
        industry: (
            industry in reference.mandated,
            industry in reference.cost_obligated,
            sorted(
                (
                    rate.project_type,
                    rate.band_from,
                    rate.band_to,
                    rate.rate_percent,
                    rate.valid_from,
                    rate.valid_until,
                    rate.legal_basis,
                )
                for rate in reference.cost_rates.get(industry, ())
            ),
        )
        for industry in industries
    }


def judge_reference_changes(before: DutyReference, *, today: datetime.date | None = None) -> int:
    """Judge again the enterprises of each industry whose duty reference data (mandate,
    obligation, rates) differs from `before` (taken with `duty_reference()` before the
    change); returns how many enterprises."""
    old, new = _reference_by_industry(before), _reference_by_industry(duty_reference())
    changed = {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)}
    return judge_industries(changed, today=today)
