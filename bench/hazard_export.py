"""Hazard ledger Excel export: time and peak Python memory for 100,000 rows.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/safetyportal_bench \
       .venv/bin/python bench/hazard_export.py [rows=100000]

Creates the rows once with bulk_create in the throwaway bench database, then fetches
/hazards/export/ as the county office (whole county, no filter) through the test client,
once for the time and once under tracemalloc for the peak.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
import tracemalloc

if os.environ.get("DATABASE_URL"):
    os.environ.setdefault("BENCH_DATABASE_URL", os.environ["DATABASE_URL"])

from _setup import setup_django  # noqa: E402


def ensure_rows(target: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from enterprises.models import Enterprise
    from hazards.models import Hazard, HazardClass, HazardSource, HazardStatus

    if Enterprise.objects.count() < 500:
        call_command("load_scale_data", enterprises=500, force=True, verbosity=0)
    have = Hazard.objects.count()
    if have >= target:
        return
    rng = random.Random(7)
    enterprises = list(Enterprise.objects.values_list("pk", "town_id", "industry_id"))
    today = timezone.localdate()
    statuses = HazardStatus.values
    sources = HazardSource.values
    batch = []
    for i in range(target - have):
        pk, town, industry = rng.choice(enterprises)
        found = today - datetime.timedelta(days=rng.randint(0, 700))
        deadline = found + datetime.timedelta(days=rng.randint(3, 60))
        batch.append(
            Hazard(
                enterprise_id=pk,
                town_id=town,
                industry_id=industry,
                source=rng.choice(sources),
                description=f"配电箱未可靠接地，电缆绝缘层破损，消防通道堆放杂物（{i}）",
                location=f"{i % 40}号车间",
                hazard_class=HazardClass.MAJOR if i % 50 == 0 else HazardClass.GENERAL,
                status=rng.choice(statuses),
                found_on=found,
                deadline=deadline,
                original_deadline=deadline,
                responsible_person="李四",
            )
        )
        if len(batch) == 5000:
            Hazard.objects.bulk_create(batch)
            batch = []
    Hazard.objects.bulk_create(batch)


def fetch(client) -> tuple[int, float]:
    start = time.perf_counter()
    response = client.get("/hazards/export/")
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.streaming_content)
    return size, time.perf_counter() - start


def main(target: int) -> None:
    setup_django()
    from django.test import Client

    from hazards.models import Hazard
    from responsibilities.models import Organisation
    from safetyportal.accounts.models import Role, User

    t0 = time.perf_counter()
    ensure_rows(target)
    rows = Hazard.objects.count()
    print(f"hazards in ledger: {rows} (set-up {time.perf_counter() - t0:.1f} s)")
    user = User.objects.get_or_create(
        username="bench_county",
        defaults={
            "role": Role.COUNTY_OFFICE,
            "organisation": Organisation.objects.get(code="aqwb"),
        },
    )[0]
    client = Client()
    client.force_login(user)
    size, seconds = fetch(client)
    print(f"export: {rows} rows, {size / 1024 / 1024:.1f} MB xlsx, {seconds:.1f} s")
    tracemalloc.start()
    _size, traced_seconds = fetch(client)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak Python memory (tracemalloc): {peak / 1024 / 1024:.1f} MB"
        f" ({traced_seconds:.1f} s under tracemalloc)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
