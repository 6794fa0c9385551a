"""A bounded load test (issue 14 item 5): the main pages under concurrent load as a
logged-in county officer, on loopback, for a fixed time, while an enterprise file PDF is
generated again and again: no answer other than 200. `make test` runs it for 3 s;
`make load` for LOAD_SECONDS (30 by default) and prints the figures."""

from __future__ import annotations

import os
import threading

import pytest
from django.test import Client

from tests.faults.conftest import database_url
from tests.faults.probes import Load, percentile, probe
from tests.faults.servers import WebServer, process_env

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = float(os.environ.get("LOAD_SECONDS", "3"))
PAGES = ["/", "/hazards/", "/enterprises/"]


def test_main_pages_answer_under_load_while_a_report_pdf_is_generated(
    secret_key, county, county_officer
):
    client = Client()
    client.force_login(county_officer)
    cookie = client.cookies["sessionid"].value
    web = WebServer(process_env(database_url=database_url(), secret_key=secret_key), threads=4)
    reports = []
    stop = threading.Event()

    def generate_reports() -> None:
        while not stop.is_set():
            reports.append(probe(web.port, f"/enterprises/{county.xdk_build.pk}/file.pdf", cookie))

    try:
        load = Load(web.port, cookie, PAGES, clients=4).start()
        pdf_thread = threading.Thread(target=generate_reports, daemon=True)
        pdf_thread.start()
        stop.wait(SECONDS)
        stop.set()
        outcomes = load.stop()
        pdf_thread.join(timeout=60)
    finally:
        web.stop()

    assert outcomes and reports
    assert sorted({o.status for o in outcomes}) == [200]
    assert sorted({r.status for r in reports}) == [200]
    lines = [f"\nload {SECONDS:.0f} s, 4 clients, gunicorn 1 worker x 4 threads:"]
    for path in PAGES:
        times = [o.seconds for o in outcomes if o.path == path]
        lines.append(
            f"  {path:14} {len(times):5} requests {len(times) / SECONDS:6.1f}/s  "
            f"p50 {percentile(times, 0.5) * 1000:5.0f} ms  p95 {percentile(times, 0.95) * 1000:5.0f} ms"
            f"  max {max(times) * 1000:5.0f} ms  errors 0"
        )
    pdf_times = [r.seconds for r in reports]
    lines.append(
        f"  enterprise file PDF: {len(reports)} generated, "
        f"p50 {percentile(pdf_times, 0.5) * 1000:.0f} ms, max {max(pdf_times) * 1000:.0f} ms"
    )
    print("\n".join(lines))
