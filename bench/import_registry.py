"""Registry import: time to read, validate and save 5,000 and 50,000 rows.

Each run goes through the same path as the Celery task (read the .xlsx, check every row,
bulk-insert in one transaction with one audit event) and is rolled back afterwards, so the
benchmark can be repeated.

Usage: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/safetyportal_bench \
       .venv/bin/python bench/import_registry.py [5000 50000]
"""

from __future__ import annotations

import io
import sys
import time

from _setup import setup_django


def build_workbook(count: int, towns: list[str], industries: list[str]) -> bytes:
    from openpyxl import Workbook

    from enterprises.importing.rows import HEADERS
    from enterprises.registry.uscc import check_character

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    sheet.append(HEADERS)
    for n in range(count):
        first_17 = f"92430723{800000000 + n:09d}"
        sheet.append(
            [
                f"基准测试企业{n:06d}有限公司",
                first_17 + check_character(first_17),
                towns[n % len(towns)],
                industries[n % len(industries)],
                f"澧县基准路{n}号",
                n % 300,
                "小型",
                "",
                "在营",
                "张三",
                "李四",
                "13800000000",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main(sizes: list[int]) -> None:
    setup_django()
    from django.db import transaction

    from enterprises.importing import jobs as import_jobs
    from enterprises.importing import rows as import_rows
    from enterprises.models import ImportJob
    from responsibilities.models import Industry, Organisation
    from safetyportal.accounts.models import Role, User

    towns = list(Organisation.objects.towns().values_list("name", flat=True))
    industries = list(Industry.objects.values_list("name", flat=True))
    user, _ = User.objects.get_or_create(
        username="bench_county",
        defaults={
            "role": Role.COUNTY_OFFICE,
            "organisation": Organisation.objects.get(code="aqwb"),
        },
    )
    print(f"{'rows':>8}{'build s':>10}{'read s':>9}{'check s':>10}{'save s':>9}{'total s':>10}")
    for size in sizes:
        started = time.perf_counter()
        content = build_workbook(size, towns, industries)
        built = time.perf_counter()
        with transaction.atomic():
            rows = import_rows.read_rows(io.BytesIO(content))
            read = time.perf_counter()
            enterprises, errors = import_rows.RowValidator(actor=user).validate(rows)
            checked = time.perf_counter()
            assert not errors, errors[:3]
            job = ImportJob.objects.create(
                original_name="bench.xlsx", created_by=user, file="bench.xlsx"
            )
            import_jobs.save_enterprises(actor=user, job=job, enterprises=enterprises)
            saved = time.perf_counter()
            transaction.set_rollback(True)
        print(
            f"{size:>8}{built - started:>10.2f}{read - built:>9.2f}{checked - read:>10.2f}"
            f"{saved - checked:>9.2f}{saved - built:>10.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5000, 50000])
