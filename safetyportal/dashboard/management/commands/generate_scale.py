"""Scale data for every ledger, for benchmarks: `manage.py generate_scale --scale county`.

county: 5,000 enterprises and about 60,000 hazards over ten years; city ten times that,
province a hundred times. Seeded and reproducible; written with PostgreSQL COPY in one
transaction. The generators are in safetyportal/dashboard/scale.py (one small function per
ledger). Never run this on a production database: it refuses unless DEBUG or DEMO_MODE
is on, or --force is given. The rows are synthetic load: the audit events it writes are
marked by their synthetic accounts (username prefix "scale_") and USCCs (91430723Q...).
"""

from __future__ import annotations

import datetime
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from safetyportal.core.figures import touch_all
from safetyportal.dashboard import scale as scaledata

# The enforcement areas' generators live in their own modules (they use scale.py's helpers,
# so scale.py cannot import them: a cycle); registered here after scale.py's own, in the
# order their data builds on each other.
from safetyportal.dashboard import (
    scale_accidents,
    scale_appraisal,
    scale_authority,
    scale_cases,
    scale_exposure,
    scale_inspections,
    scale_plans,
    scale_reports,
    scale_responsibilities,
    scale_stored_reports,
)

for _name, _generate in (
    ("authority", scale_authority.authority),
    ("plans", scale_plans.plans),
    ("inspections", scale_inspections.inspections),
    ("cases", scale_cases.cases),
    ("exposure", scale_exposure.exposure),
    ("accidents", scale_accidents.accidents),
    ("reports", scale_reports.reports),
    ("stored_reports", scale_stored_reports.reports),  # issue 12: stored reports, bulletins
    ("responsibilities", scale_responsibilities.responsibilities),
    # last: the appraisal computes every unit's result from all the ledgers above
    ("appraisal", scale_appraisal.appraisal),
):
    scaledata.generator(_name)(_generate)


class Command(BaseCommand):
    help = "生成规模测试数据（县/市/省级规模，仅限 DEBUG/DEMO_MODE 或 --force）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(scaledata.SCALES), default="county")
        parser.add_argument("--seed", type=int, default=4307)
        parser.add_argument("--enterprises", type=int, help="override the scale's enterprises")
        parser.add_argument("--hazards", type=int, help="override the scale's hazards")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument(
            "--force",
            action="store_true",
            help="即使 DEBUG 和 DEMO_MODE 均关闭也执行 / run even when DEBUG and DEMO_MODE are off",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or getattr(settings, "DEMO_MODE", False) or options["force"]):
            raise CommandError(
                "规模数据只能在 DEBUG 或 DEMO_MODE 下生成，或加 --force。"
                " / generate_scale refuses to run unless DEBUG or DEMO_MODE is on, or --force."
            )
        if connection.vendor != "postgresql":
            raise CommandError("generate_scale writes with PostgreSQL COPY: use PostgreSQL.")
        chosen = scaledata.SCALES[options["scale"]]
        chosen = scaledata.Scale(
            chosen.name,
            options["enterprises"] or chosen.enterprises,
            options["hazards"] if options["hazards"] is not None else chosen.hazards,
            chosen.years,
        )
        Enterprise = apps.get_model("enterprises", "Enterprise")
        if Enterprise.objects.filter(uscc__startswith=scaledata.USCC_PREFIX + "Q").exists():
            raise CommandError(
                "数据库中已有规模数据，请使用新的数据库。 / scale data is already present:"
                " generate into a fresh database."
            )
        Industry = apps.get_model("responsibilities", "Industry")
        if not Industry.objects.exists():
            call_command("load_reference_data", verbosity=0)
        verbosity = options["verbosity"]

        def log(name, seconds, rows):
            if verbosity:
                counts = ", ".join(f"{label} {n:,}" for label, n in rows.items())
                self.stdout.write(f"  {name:<14} {seconds:7.1f} s  {counts}")

        if verbosity:
            self.stdout.write(
                f"generate_scale {chosen.name}: {chosen.enterprises:,} enterprises,"
                f" {chosen.hazards:,} hazards over {chosen.years} years (seed {options['seed']})"
            )
        started = time.perf_counter()
        with transaction.atomic():
            result = scaledata.run(
                scale=chosen, seed=options["seed"], today=options["today"], log=log
            )
            touch_all()  # COPY sends no signals: the kept home figures start afresh
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map that index-only scans rely on; freshly copied
            # tables have none, so without it the bench would measure heap fetches that an
            # autovacuumed production table does not pay. (Not possible inside a
            # transaction, as in the tests: ANALYZE alone there.)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        total = time.perf_counter() - started
        if verbosity:
            for note in result.get("notes", []):
                self.stdout.write(f"  {note}")
            rows = sum(result["rows"].values())
            self.stdout.write(
                f"  total          {total:7.1f} s  {rows:,} rows (with VACUUM ANALYZE)"
            )
        return None
