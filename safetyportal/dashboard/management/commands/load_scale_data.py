"""Synthetic enterprises in bulk, for benchmarks and query-count tests.

    manage.py load_scale_data --enterprises 20000

Ensures that the first N synthetic enterprises exist (deterministic, seeded): a second run
with the same N adds nothing, a larger N adds the difference. Their USCCs start with
92430723 (type 2 of authority 9, 个体工商户), so they never clash with load_demo's 91430723.

They are written with bulk_create and, deliberately, without audit events: they are
synthetic load, not registrations anyone made, and an audit trail for them would be a
false record (and would double the rows a benchmark measures). Never run this on a
production database: it refuses unless DEBUG or DEMO_MODE is on, or --force is given.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from enterprises.duties.judging import judge_enterprises
from enterprises.models import Enterprise, EnterpriseStatus
from responsibilities.models import Industry, Organisation
from safetyportal.core.figures import touch_all
from safetyportal.dashboard.management.commands.load_demo import (
    NAME_TEMPLATES,
    SIZE_PROFILES,
    TOWN_PLAN,
    TRADE_NAMES,
    make_uscc,
    random_address,
    random_employees,
    random_person,
    scale_for,
)

SCALE_SEED = 4307
SCALE_USCC_PREFIX = "92430723"
BATCH_SIZE = 1000


def scale_uscc(index: int) -> str:
    """The index-th synthetic USCC: organisation-code body is the index in 8 digits."""
    return make_uscc(SCALE_USCC_PREFIX, f"{index:08d}")


class Command(BaseCommand):
    help = "批量生成合成企业数据用于性能测试（仅限 DEBUG/DEMO_MODE 或 --force）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=int,
            default=5000,
            metavar="N",
            help="合成企业数量 / number of synthetic enterprises (default 5000)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="即使 DEBUG 和 DEMO_MODE 均关闭也执行 / run even when DEBUG and DEMO_MODE are off",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or getattr(settings, "DEMO_MODE", False) or options["force"]):
            raise CommandError(
                "合成数据只能在 DEBUG 或 DEMO_MODE 下生成，或加 --force。"
                " / load_scale_data refuses to run unless DEBUG or DEMO_MODE is on, or --force."
            )
        count = options["enterprises"]
        if count < 0 or count > 99_999_999:
            raise CommandError("--enterprises 必须在 0 到 99999999 之间 / N out of range.")

        if not Organisation.objects.towns().exists() or not Industry.objects.exists():
            call_command("load_reference_data", verbosity=0)
        towns = {t.code: t for t in Organisation.objects.towns()}
        industries = {i.code: i for i in Industry.objects.all()}
        missing_industries = set(NAME_TEMPLATES) - set(industries)
        if missing_industries:
            raise CommandError(
                f"参考数据缺少行业 / missing industries: {sorted(missing_industries)}"
            )

        town_codes = [c for c in TOWN_PLAN if c in towns]
        town_weights = [TOWN_PLAN[c][0] for c in town_codes]
        # ordinary industries are more common than emerging ones
        industry_codes = list(NAME_TEMPLATES)
        industry_weights = [3 if code in SIZE_PROFILES else 1 for code in industry_codes]

        rng = random.Random(SCALE_SEED)
        wanted: list[Enterprise] = []
        usccs = [scale_uscc(i) for i in range(count)]
        existing: set[str] = set()
        for start in range(0, count, 10_000):
            existing.update(
                Enterprise.objects.filter(uscc__in=usccs[start : start + 10_000]).values_list(
                    "uscc", flat=True
                )
            )
        for index, uscc in enumerate(usccs):
            # draw for every index, so enterprise i is the same whatever N and whatever exists
            town = towns[rng.choices(town_codes, weights=town_weights, k=1)[0]]
            industry = industries[rng.choices(industry_codes, weights=industry_weights, k=1)[0]]
            base = rng.choice(NAME_TEMPLATES[industry.code]).format(t=rng.choice(TRADE_NAMES))
            name = f"澧县{town.name}{base}（合成{index:06d}）"
            employees = random_employees(rng, industry.code)
            legal = random_person(rng)
            address = random_address(rng, town.name)
            if uscc in existing:
                continue
            wanted.append(
                Enterprise(
                    name=name,
                    uscc=uscc,
                    town=town,
                    industry=industry,
                    address=address,
                    employee_count=employees,
                    scale=scale_for(employees),
                    is_high_risk=industry.is_high_risk,
                    status=EnterpriseStatus.OPERATING,
                    legal_representative=legal,
                    principal_name=legal,
                )
            )
        with transaction.atomic():
            Enterprise.objects.bulk_create(wanted, batch_size=BATCH_SIZE)
            judge_enterprises(e.pk for e in wanted)  # their stored compliance results
            touch_all()  # bulk_create sends no signals: the kept home figures start afresh
        self.stdout.write(
            f"新增合成企业 {len(wanted)} 家（共 {Enterprise.objects.count()} 家企业）"
            f" / created {len(wanted)} synthetic enterprises."
        )
