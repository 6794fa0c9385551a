"""Enterprise list: queries and time per page for each role as the registry grows.

Usage: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/safetyportal_bench \
       .venv/bin/python bench/enterprise_list.py [enterprises=5000]
"""

from __future__ import annotations

import statistics
import sys
import time

from _setup import setup_django


def main(target: int) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from enterprises.models import Enterprise
    from responsibilities.models import Organisation
    from safetyportal.accounts.models import Role, User

    have = Enterprise.objects.count()
    if have < target:
        call_command("load_scale_data", enterprises=target - have, force=True, verbosity=0)
    town = Organisation.objects.get(code="430723102")
    users = {
        "county_office": User.objects.get_or_create(
            username="bench_county",
            defaults={
                "role": Role.COUNTY_OFFICE,
                "organisation": Organisation.objects.get(code="aqwb"),
            },
        )[0],
        "town": User.objects.get_or_create(
            username="bench_town", defaults={"role": Role.TOWN, "organisation": town}
        )[0],
    }
    print(f"enterprises in registry: {Enterprise.objects.count()}")
    print(f"{'role':<14}{'url':<46}{'queries':>8}{'median ms':>11}{'p95 ms':>9}")
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for url in (
            "/enterprises/",
            "/enterprises/?page=40",
            "/enterprises/?q=有限公司&is_high_risk=true",
            "/enterprises/?ordering=-employee_count",
            "/api/v1/enterprises/",
        ):
            timings = []
            for _ in range(15):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            timings.sort()
            print(
                f"{role:<14}{url:<46}{len(queries):>8}{statistics.median(timings):>11.1f}"
                f"{timings[int(len(timings) * 0.95) - 1]:>9.1f}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
