"""Reference data of this app that ships in fixtures/ or in a data migration, loadable
again at any time (the demo and tests call these)."""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

TEMPLATE_FIXTURE = "self_assessment_template_v1.json"
# Industries where 安责险 is mandatory (domain-notes §7.4, 2025 办法: 矿山、危险化学品、烟花爆竹、
# 交通运输、建筑施工、民用爆炸物品、金属冶炼、渔业生产); the codes of migrations 0003 and 0007.
# 加油站 and 城镇燃气 are 危险化学品经营 units.
MANDATORY_INSURANCE_CODES = (
    "fmks",
    "yhlk",
    "whp",
    "yhbz",
    "yjgm",
    "jzsg",
    "dlys",
    "sslys",
    "jyz",
    "czrq",
)
INSURANCE_BASIS = {
    "jyz": "安全生产法第51条；安全生产责任保险实施办法（2025）：危险化学品经营单位",
    "czrq": "安全生产法第51条；安全生产责任保险实施办法（2025）：危险化学品经营单位",
}

# The grade bands seeded by migration 0006 and named by 0008 (优 90 / 良 75 / 合格 60; not
# 一级/二级/三级, the official 安全生产标准化 levels).
GRADE_BANDS = {"first": Decimal("90"), "second": Decimal("75"), "third": Decimal("60")}
GRADE_NAMES = {"first": "优", "second": "良", "third": "合格"}


def load_assessment_template() -> None:
    """Load (or refresh) the self-assessment checklist v1; idempotent by natural keys."""
    path = Path(settings.BASE_DIR) / "fixtures" / TEMPLATE_FIXTURE
    call_command("loaddata", str(path), verbosity=0)


def ensure_insurance_mandates() -> int:
    """Mark the mandatory-insurance industries present in the database; returns how many
    were added."""
    from enterprises.duties.models import InsuranceMandate
    from responsibilities.models import Industry

    added = 0
    for industry in Industry.objects.filter(code__in=MANDATORY_INSURANCE_CODES):
        _, created = InsuranceMandate.objects.get_or_create(
            industry=industry,
            defaults={
                "legal_basis": INSURANCE_BASIS.get(
                    industry.code, "安全生产法第51条；安全生产责任保险实施办法（2025）"
                )
            },
        )
        added += created
    return added


def ensure_safety_cost_reference() -> None:
    """Add the safety-cost obligations and the known rate tables of migration 0012 for the
    industries present now (the migration ran before the reference data was loaded);
    rows the county office changed are kept."""
    from django.apps import apps

    migration = importlib.import_module("enterprises.migrations.0012_seed_safety_cost_reference")
    migration.seed(apps, None)


def ensure_grade_bands() -> int:
    """Add the seeded grade bands that are missing (a flushed test database, a fresh demo);
    bands the county office changed are kept. Returns how many were added."""
    from enterprises.assessment.models import GradeBand

    added = 0
    for grade, min_score in GRADE_BANDS.items():
        _, created = GradeBand.objects.get_or_create(
            grade=grade, defaults={"min_score": min_score, "name": GRADE_NAMES[grade]}
        )
        added += created
    return added
