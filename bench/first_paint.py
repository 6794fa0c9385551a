"""First paint on a phone over a slow mobile network, and what the PDFs cost.

    .venv/bin/python bench/first_paint.py            # county bench database
    BENCH_DATABASE_URL=postgres://.../sp_x .venv/bin/python bench/first_paint.py
    FIRST_PAINT_RUNS=7 .venv/bin/python bench/first_paint.py

Starts the same production-like server as `make bench` (bench/run.py: gunicorn, 2 sync
workers, DEBUG off, static files collected into a temporary STATIC_ROOT and served by
WhiteNoise), then opens pages in Debian's Chromium through Playwright as a phone
(390x844, touch, 3x pixels) under emulated network conditions (CDP
`Network.emulateNetworkConditions`) and a 4x slower CPU (`Emulation.setCPUThrottlingRate`,
as Lighthouse's mobile preset does):

- cold: an empty cache (the first visit of the day on a new phone);
- warm: the same page again with the cache kept (the next page of a working session):
  with hashed names and `immutable`, the static files are not even revalidated.

For each page and network: the median First Contentful Paint
(`performance.getEntriesByType('paint')`), the DOMContentLoaded and load times, the bytes
transferred (Resource Timing `transferSize`: headers and compressed bodies) and the number of
requests. Then the PDFs (交办单 and the enterprise file), timed through the same server.

Prints a Markdown table and writes it to bench/results/first-paint-<UTC time>.md. Not a test.
It writes the bench accounts (bench/run.py's) into the bench database, like `make bench`.
"""

from __future__ import annotations

import datetime
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402 (sets the environment; bench/run.py)

RUNS = int(os.environ.get("FIRST_PAINT_RUNS", "5"))
# the same Debian Chromium, started as the browser tests start it
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# (label, round-trip latency ms, download kbit/s, upload kbit/s)
NETWORKS = [
    ("slow 4G (Lighthouse mobile: 150 ms, 1.6 Mbit/s)", 150, 1638.4, 750),
    ("3G (DevTools Fast 3G: 563 ms, 1.4 Mbit/s)", 562.5, 1474.56, 675),
]
CPU_SLOWDOWN = 4
PAGES = [
    ("login page", None, "/accounts/login/"),
    ("home", "county", "/"),
    ("home", "town", "/"),
    ("hazard ledger", "county", "/hazards/"),
]

MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const paint = performance.getEntriesByType('paint')
    .find((entry) => entry.name === 'first-contentful-paint');
  return {
    fcp: paint ? paint.startTime : null,
    ttfb: nav.responseStart,
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0),
    html: nav.transferSize,
    requests: 1 + resources.filter((r) => r.transferSize > 0).length,
    resources: resources.map((r) => [r.name.split('/').pop(), r.transferSize,
                                     r.renderBlockingStatus || '']),
  };
}"""


def visit(browser, base: str, cookie: str | None, path: str, network) -> tuple[dict, dict]:
    """One cold and one warm load of `path` in a fresh phone context."""
    _label, latency, down, up = network
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    if cookie:
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency,
            "downloadThroughput": down * 1024 / 8,
            "uploadThroughput": up * 1024 / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    results = []
    for _ in range(2):  # cold, then warm (same context, cache kept)
        page.goto(base + path, wait_until="load", timeout=120_000)
        page.wait_for_timeout(200)  # let the paint entries settle
        results.append(page.evaluate(MEASURE))
    context.close()
    return results[0], results[1]


def first_paint(base: str, cookies: dict) -> tuple[list[str], list[str]]:
    from playwright.sync_api import sync_playwright

    lines = [
        "| page | account | network | first byte cold ms | FCP cold ms | FCP warm ms |"
        " load cold ms | transferred cold KB | requests cold | transferred warm KB |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    detail: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, role, path in PAGES:
                for network in NETWORKS:
                    cold, warm = [], []
                    for _ in range(RUNS):
                        c, w = visit(browser, base, cookies.get(role), path, network)
                        cold.append(c)
                        warm.append(w)

                    def med(runs, key):
                        values = [r[key] for r in runs if r[key] is not None]
                        return statistics.median(values) if values else float("nan")

                    line = (
                        f"| {label} | {role or '-'} | {network[0]} | {med(cold, 'ttfb'):.0f} |"
                        f" {med(cold, 'fcp'):.0f} |"
                        f" {med(warm, 'fcp'):.0f} | {med(cold, 'load'):.0f} |"
                        f" {med(cold, 'bytes') / 1024:.0f} | {cold[0]['requests']} |"
                        f" {med(warm, 'bytes') / 1024:.0f} |"
                    )
                    lines.append(line)
                    print(line, flush=True)
                    if network is NETWORKS[0]:
                        detail.append(
                            f"- {label} ({role or '-'}), cold: HTML {cold[0]['html']:,} B; "
                            + ", ".join(
                                f"{name} {size:,} B{' (blocking)' if blocking == 'blocking' else ''}"
                                for name, size, blocking in cold[0]["resources"]
                            )
                        )
        finally:
            browser.close()
    return lines, detail


def pdfs(base: str, cookie: str, ctx: dict) -> list[str]:
    from django.apps import apps

    Hazard = apps.get_model("hazards", "Hazard")
    major = Hazard.objects.filter(hazard_class="major", slip__isnull=False).order_by("-pk").first()
    out = []
    for label, path in (
        ("交办单 PDF (slip)", f"/hazards/{major.pk}/slip.pdf"),
        ("enterprise file PDF", f"/enterprises/{ctx['enterprise'].pk}/file.pdf"),
    ):
        page = bench.timed(base + path, cookie)
        line = (
            f"- {label}: p50 {page['p50']:.0f} ms, p95 {page['p95']:.0f} ms"
            f" (n={page['n']}, status {page['status']})"
        )
        out.append(line)
        print(line, flush=True)
    return out


def main() -> int:
    started_at = datetime.datetime.now(datetime.UTC)
    print(f"first paint: database {bench.DB_URL}", flush=True)
    import django

    django.setup()
    ctx = bench.bench_accounts()
    cookies = {name: bench.session_cookie(user) for name, user in ctx["users"].items()}
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    port = bench.free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        server = bench.start_server(static_root, port)
        bench.fetch(base + "/", cookies["county"])  # warm both workers a little
        bench.fetch(base + "/", cookies["county"])
        table, detail = first_paint(base, cookies)
        pdf_lines = pdfs(base, cookies["county"], ctx) if "--no-pdf" not in sys.argv else []
    finally:
        bench.stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)
    report = "\n".join(
        [
            f"# First paint on a phone, {started_at:%Y-%m-%d %H:%M} UTC",
            "",
            f"Server as `make bench` (gunicorn, 2 sync workers, DEBUG off, collected static"
            f" files); Chromium {390}x{844} at 3x, CPU slowed {CPU_SLOWDOWN}x; median of"
            f" {RUNS} visits, each cold (empty cache) then warm (cache kept).",
            "",
            *table,
            "",
            "What the first cold visit loaded (slow 4G):",
            "",
            *detail,
            "",
            "PDFs through the same server:",
            "",
            *pdf_lines,
            "",
        ]
    )
    print(report)
    out = HERE / "results" / f"first-paint-{started_at:%Y%m%dT%H%M%SZ}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(f"written to {out.relative_to(bench.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
