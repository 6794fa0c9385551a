"""Enforcement's reference data, loaded by `manage.py load_reference_data` (through the
`reference_data_loaded` signal, enforcement/apps.py): the representative catalogue of
delegated items (fixtures/delegated_items.json) and the inspection checklists
(fixtures/checklists.json). A deployment needs both on day one; they are not demo data.

Idempotent and conservative: only what is missing is added (items by code, checklists by
industry and version), so a second run adds nothing and rows the county office changed
since (an item's fine range, a new checklist version) are kept. The full Excel list is
imported with `manage.py import_delegated_items` (the demo does that too).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from enforcement.authority import importing, services
from enforcement.authority.models import DelegatedItem
from enforcement.inspections.models import ChecklistItem, ChecklistTemplate
from responsibilities.models import Industry


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def _rows(name: str) -> list[dict]:
    return json.loads((fixtures_dir() / name).read_text(encoding="utf-8"))


def ensure_delegated_items() -> int:
    """The fixture's items whose code is not in the database yet (audited as an import).
    Returns how many were added."""
    parsed = importing.check_records(importing.records_from_fixture(_rows("delegated_items.json")))
    if parsed.errors:
        raise ValueError(f"fixtures/delegated_items.json: {parsed.errors[:3]}")
    known = set(DelegatedItem.objects.values_list("code", flat=True))
    missing = [row for row in parsed.rows if row["code"] not in known]
    if not missing:
        return 0
    created, _changed = services.import_delegated_items(actor=None, rows=missing)
    return created


def ensure_checklists() -> int:
    """The fixture's checklist templates (with their items) whose industry and version are
    not in the database yet. A template added where the industry already has a current
    one is added as not current. Returns how many templates were added."""
    rows = _rows("checklists.json")
    industries = dict(Industry.objects.values_list("code", "pk"))
    added: dict[int, ChecklistTemplate] = {}
    for row in rows:
        if row["model"] != "enforcement.checklisttemplate":
            continue
        fields = row["fields"]
        industry_id = industries[fields["industry"][0]] if fields["industry"] else None
        same_industry = ChecklistTemplate.objects.filter(industry_id=industry_id)
        if same_industry.filter(version=fields["version"]).exists():
            continue
        added[row["pk"]] = ChecklistTemplate.objects.create(
            industry_id=industry_id,
            title=fields["title"],
            version=fields["version"],
            is_current=fields["is_current"] and not same_industry.filter(is_current=True).exists(),
        )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=added[row["fields"]["template"]],
            order=row["fields"]["order"],
            text=row["fields"]["text"],
            basis=row["fields"]["basis"],
        )
        for row in rows
        if row["model"] == "enforcement.checklistitem" and row["fields"]["template"] in added
    )
    return len(added)


def add_reference_rows(**_kwargs) -> None:
    """The `reference_data_loaded` receiver: both, in one transaction."""
    with transaction.atomic():
        ensure_delegated_items()
        ensure_checklists()
