"""Numbers for procedural documents (决定书, 立案审批表, ...): per unit, year and kind,
without gaps or duplicates under concurrency (issue 10 item 6).

`take_number` must run inside the transaction that stores the document: it locks the
counter row, so two officers issuing at once queue for a moment and get consecutive
numbers, and a transaction that fails releases its number with the rollback."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from enforcement.authority.models import DocumentCounter


def take_number(*, unit, year: int, kind: str) -> int:
    """The next number of `kind` for `unit` in `year` (1, 2, 3, ...)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the document's transaction")
    counter = _locked_counter(unit.pk, year, kind)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _locked_counter(unit_id: int, year: int, kind: str) -> DocumentCounter:
    counter = (
        DocumentCounter.objects.select_for_update()
        .filter(unit_id=unit_id, year=year, kind=kind)
        .first()
    )
    if counter is not None:
        return counter
    try:
        # the first document of the year: two creating the row at once collide on the
        # unique constraint; the loser retries and then waits on the winner's lock
        with transaction.atomic():
            DocumentCounter.objects.create(unit_id=unit_id, year=year, kind=kind)
    except IntegrityError:
        pass
    return DocumentCounter.objects.select_for_update().get(unit_id=unit_id, year=year, kind=kind)


def document_label(*, unit_abbr: str, kind_abbr: str, year: int, number: int) -> str:
    """`{机关简称}{文书简称}〔年份〕号` (domain-notes §4.4): e.g. 澧应急简罚〔2026〕12号."""
    return f"{unit_abbr}{kind_abbr}〔{year}〕{number}号"
