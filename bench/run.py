"""`make bench`: the key pages and background jobs at a county's (or a city's) size.

    make bench                 # county: 5,000 enterprises, ~60,000 hazards
    make bench SCALE=city      # city: 50,000 enterprises, ~600,000 hazards

1. Prepares the bench database (BENCH_DATABASE_URL, default safetyportal_bench for the
   county, safetyportal_bench_<scale> otherwise): migrated, reference data, and
   `generate_scale --scale <scale>` unless that scale's data is already there.
2. Starts a server as in production: gunicorn, 2 sync workers, DEBUG off, PostgreSQL,
   Redis, static files collected into a temporary STATIC_ROOT. Its URLconf adds a plain
   Django admin at /bench-admin/ (bench/bench_urls.py) as the peer for list pages.
3. For each row (page x role): p50/p95 of N sequential requests after a warm-up; the SQL
   query count (in-process, Django test client); the floor ratio (page p50 over the time
   of the page's own SELECTs replayed with a raw cursor); the peer ratio (our p50 over
   the admin changelist's p50 for the same model, filter and page size).
4. Throughput under a bounded load (wrk, 4 connections, 10 s; a Python loader if wrk is
   missing) as a ratio to a trivial logged-in page on the same server.
5. Background work: the escalation sweep over all open hazards (rolled back afterwards),
   a 100,000-row export (or the whole ledger when smaller), a 50,000-row registry import
   (rolled back), the PDFs.

Prints the table and writes it to bench/results/<scale>-<UTC timestamp>.md. The server is
stopped at the end whatever happens. Not a test: it prints figures.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
SCALE = os.environ.get("SCALE", "county")
N = int(os.environ.get("BENCH_N", "30"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
# BENCH_ROWS=<regex>: only the rows whose label matches (case-insensitive), and no
# throughput or background section: a quick look at a few pages, e.g.
# BENCH_ROWS='inspection|case|exposure' SCALE=city bench/run.py
ROWS = os.environ.get("BENCH_ROWS", "")
BASE_DB = "postgres://postgres@127.0.0.1:5432/safetyportal_bench"
DB_URL = os.environ.get("BENCH_DATABASE_URL") or (
    BASE_DB if SCALE == "county" else f"{BASE_DB}_{SCALE}"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"
PASSWORD = "Bench@2026"  # the bench accounts exist only in the bench database

os.environ.update(
    BENCH_DATABASE_URL=DB_URL,
    DATABASE_URL=DB_URL,
    REDIS_URL=REDIS_URL,
    SECRET_KEY=SECRET,
    PORTAL_DEMO="1",  # in-process only (generate_scale, query capture); the server has it off
    ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    DJANGO_SETTINGS_MODULE="safetyportal.settings",
    LOG_LEVEL="WARNING",
)
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))


def manage(*args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout


# --- 1. the database ---------------------------------------------------------------------


def prepare_database() -> str:
    from _setup import _create_database

    _create_database(DB_URL)
    manage("migrate", "--verbosity", "0")
    manage("load_reference_data", "--verbosity", "0")
    import django

    django.setup()
    from django.apps import apps

    from safetyportal.dashboard import scale as scaledata

    wanted = scaledata.SCALES[SCALE]
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Hazard = apps.get_model("hazards", "Hazard")
    have = Enterprise.objects.filter(uscc__startswith=scaledata.USCC_PREFIX + "Q").count()
    if have == wanted.enterprises and Hazard.objects.count() >= wanted.hazards:
        return f"reused the {SCALE} data already in the bench database"
    if have:
        raise SystemExit(
            f"{DB_URL} holds other scale data ({have} enterprises): drop it"
            f" (dropdb) or set BENCH_DATABASE_URL."
        )
    started = time.perf_counter()
    output = manage("generate_scale", "--scale", SCALE, "--force")
    print(output, flush=True)
    return f"generated in {time.perf_counter() - started:.0f} s:\n{output}"


def vacuum() -> str:
    """VACUUM (ANALYZE) before measuring, as autovacuum keeps a production database.

    The background section's jobs run in transactions rolled back afterwards; the rows they
    wrote stay behind as dead tuples (17,000 hazards and 200,000 notices at city scale) and
    clear the visibility map of the pages they touched, so without this the next run's
    index-only scans read the heap and the lists look several times slower than they are.
    """
    import psycopg2

    started = time.perf_counter()
    connection = psycopg2.connect(DB_URL)
    connection.autocommit = True  # VACUUM cannot run inside a transaction
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    connection.close()
    return f"VACUUM (ANALYZE) before measuring: {time.perf_counter() - started:.0f} s"


def bench_accounts() -> dict:
    """One account per role (and a superuser for the admin peer), created once."""
    from django.apps import apps
    from django.db.models import Count

    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("responsibilities", "Organisation")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    town = Organisation.objects.get(code="430723102")
    department = (
        Organisation.objects.filter(kind="department", code="dept-yjj").first()
        or Organisation.objects.filter(kind="department").order_by("code").first()
    )
    office = Organisation.objects.filter(kind="office").order_by("code").first()
    busiest = (
        Enterprise.objects.filter(town=town)
        .annotate(n=Count("hazards"))
        .order_by("-n", "pk")
        .first()
    )
    specs = {
        "county": dict(role="county_office", organisation=office),
        "leader": dict(role="leader"),
        "department": dict(role="department", organisation=department),
        "town": dict(role="town", organisation=town),
        "enterprise": dict(role="enterprise", enterprise=busiest),
        "expert": dict(role="expert"),
        "admin": dict(is_superuser=True, is_staff=True),
    }
    accounts = {}
    for name, fields in specs.items():
        user, created = User.objects.get_or_create(
            username=f"bench_{name}", defaults={**fields, "display_name": f"bench {name}"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        accounts[name] = user
    Grant = apps.get_model("enterprises", "EnterpriseUserObjectPermission")
    if not Grant.objects.filter(user=accounts["expert"]).exists():
        Permission = apps.get_model("auth", "Permission")
        view = Permission.objects.get(
            codename="view_enterprise", content_type__app_label="enterprises"
        )
        for enterprise in Enterprise.objects.filter(town=town).order_by("pk")[:10]:
            Grant.objects.create(
                user=accounts["expert"], permission=view, content_object=enterprise
            )
    return {"users": accounts, "town": town, "enterprise": busiest}


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


# --- 2. the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(static_root: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DEBUG": "0",
        "PORTAL_DEMO": "0",
        "STATIC_ROOT": static_root,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}",
    }
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # the child keeps its own copy of the log's descriptor
    with open(Path(static_root) / "gunicorn.log", "wb") as log:
        server = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "safetyportal.wsgi:application",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group, stopped as one in stop_server
        )
    try:
        for _ in range(300):
            try:
                # any answer will do: /healthz says 503 without a Celery worker's heartbeat
                fetch(f"http://127.0.0.1:{port}/healthz", "", timeout=2)
                return server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None:
                    raise SystemExit("gunicorn exited at start") from None
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz")
    except BaseException:
        stop_server(server)
        raise


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def fetch(url: str, cookie: str, timeout: float = 180) -> tuple[int, float]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def timed(url: str, cookie: str) -> dict:
    """Warm-up, then N sequential requests (fewer for slow pages): p50, p95 in ms."""
    status, first = fetch(url, cookie)
    fetch(url, cookie)
    count = N if first < 1000 else 10 if first < 5000 else 3 if first < 20000 else 1
    times, statuses = [], {status}
    for _ in range(count):
        status, ms = fetch(url, cookie)
        statuses.add(status)
        times.append(ms)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * len(times)) - 1)],
        "n": count,
        "status": ",".join(str(s) for s in sorted(statuses)),
    }


# --- 3. in-process: queries and the floor ------------------------------------------------


def queries_and_floor(path: str, user) -> tuple[int, float]:
    """The page's query count, and the time (ms, median of 5) of its SELECTs replayed."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)  # warm caches, as the timed requests are
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
    selects = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    return len(captured.captured_queries), statistics.median(runs)


# --- 4. throughput -----------------------------------------------------------------------


def throughput(url: str, cookie: str) -> float:
    if shutil.which("wrk"):
        result = subprocess.run(
            ["wrk", "-t2", "-c4", f"-d{LOAD_SECONDS}s", "--timeout", "60s",
             "-H", f"Cookie: sessionid={cookie}", url],
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip
        match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
        if non_2xx:
            print(f"  ! {url}: {non_2xx.group(1)} non-2xx responses under load", flush=True)
        return float(match.group(1)) if match else 0.0
    done = [0] * 4
    stop = time.perf_counter() + LOAD_SECONDS

    def worker(slot: int) -> None:
        while time.perf_counter() < stop:
            fetch(url, cookie)
            done[slot] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / LOAD_SECONDS


# --- 5. background work ------------------------------------------------------------------


def escalation_sweep() -> str:
    """The daily sweep's task, over every open hazard, in a transaction rolled back after."""
    from celery import current_app
    from django.apps import apps
    from django.db import transaction

    current_app.loader.import_default_modules()
    task = next(t for name, t in current_app.tasks.items() if name.endswith("escalate_hazards"))
    Hazard = apps.get_model("hazards", "Hazard")
    open_count = Hazard.objects.filter(
        status__in=["reported", "determined", "rectifying", "submitted"]
    ).count()

    class Undo(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = task.run()
            seconds = time.perf_counter() - started
            raise Undo
    except Undo:
        pass
    return f"{seconds:.1f} s ({open_count:,} open hazards, result {result})"


def export_probe(username: str) -> str:
    from django.apps import apps
    from django.db.models import Count

    Hazard = apps.get_model("hazards", "Hazard")
    total = Hazard.objects.count()
    query = ""
    if total > 100_000:
        # the most recent days holding about 100,000 hazards
        running = 0
        for row in Hazard.objects.values("found_on").annotate(n=Count("id")).order_by("-found_on"):
            running += row["n"]
            if running >= 100_000:
                query = f"?found_after={row['found_on']:%Y-%m-%d}"
                break
        rows = running
    else:
        rows = total
    result = subprocess.run(
        [PY, "_export_probe.py", query, username],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return (
        f"{rows:,} rows: {data['seconds']:.1f} s, {data['bytes'] / 1e6:.1f} MB xlsx, peak RSS"
        f" {data['rss_peak_mb']:.0f} MB (process before the request: {data['rss_before_mb']:.0f}"
        f" MB), status {data['status']}"
    )


def import_probe() -> str:
    result = subprocess.run(
        [PY, "import_registry.py", "50000"], cwd=HERE, capture_output=True, text=True
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode or len(lines) < 2:
        return f"failed (exit {result.returncode}): {result.stderr.strip()[-300:]}"
    header = [word for word in lines[-2].split() if word != "s"]  # "read s" -> "read"
    figures = dict(zip(header, lines[-1].split(), strict=False))
    return (
        f"50,000 rows: read {figures.get('read', '?')} s, check {figures.get('check', '?')} s,"
        f" save {figures.get('save', '?')} s, total {figures.get('total', '?')} s"
        " (building the workbook not counted; rolled back)"
    )


# --- the year-end appraisal: one town's result computed (safetyportal/dashboard/scale_appraisal.py)


def appraisal_probe() -> str:
    """Compute the appraisal result of the town with the most hazards this year with the
    real computation, in a transaction rolled back after: seconds and SQL queries. Uses
    the round generate_scale made (a scheme and round are made here, rolled back too,
    when the bench data predates it)."""
    from django.apps import apps
    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from responsibilities import appraisal_services as services
    from safetyportal.dashboard.demo_appraisal import INDICATORS

    AppraisalResult = apps.get_model("responsibilities", "AppraisalResult")
    AppraisalRound = apps.get_model("responsibilities", "AppraisalRound")
    Organisation = apps.get_model("responsibilities", "Organisation")
    User = apps.get_model("accounts", "User")
    year = timezone.localdate().year

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            round_ = AppraisalRound.objects.filter(year=year).first()
            if round_ is None:
                actor = User.objects.filter(role="county_office", is_active=True).first()
                scheme = services.save_scheme(actor=actor, year=year, title=f"{year} bench")
                for order, row in enumerate(INDICATORS):
                    code, name, kind, rule, points, towns, depts, comms, params, _t = row
                    values = dict(code=code, name=name, kind=kind, rule=rule, method="",
                                  points=points, params=params, for_towns=towns,
                                  for_departments=depts, for_committees=comms,
                                  description="", sort_order=order)  # fmt: skip
                    services.save_indicator(actor=actor, scheme=scheme, values=values)
                round_ = services.open_round(
                    actor=actor, scheme=scheme, snapshot_date=timezone.localdate()
                )
            town = (
                Organisation.objects.filter(kind__in=("town", "subdistrict"))
                .annotate(n=Count("hazards", filter=Q(hazards__found_on__year=year)))
                .order_by("-n", "pk")
                .first()
            )
            result = AppraisalResult.objects.get(round=round_, unit=town)
            AppraisalResult.objects.filter(pk=result.pk).update(status="computing")
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                services.compute_result(result.pk)
            seconds = time.perf_counter() - started
            result.refresh_from_db()
            scores = result.scores.count()
            raise Undo
    except Undo:
        pass
    return (
        f"{town.name} ({town.n:,} hazards found this year): {seconds:.2f} s,"
        f" {len(captured)} queries for {scores} indicators, total {result.total}"
        " (rolled back)"
    )


# --- the run -----------------------------------------------------------------------------


def _case_pk() -> int:
    return _latest_pk("Case")


def _draft_bulletin_pk() -> int:
    """The bulletin drafted for the last half month (generate_scale leaves one unissued)."""
    from django.apps import apps

    drafts = apps.get_model("dashboard", "Report").objects.filter(
        kind="major_hazard_bulletin", status="draft"
    )
    return drafts.order_by("-period_end").values_list("pk", flat=True).first() or 0


def _latest_pk(model: str, **where) -> int:
    """The newest enforcement `model` row matching `where` (0 when there is none: the row's
    status then says 404)."""
    from django.apps import apps

    pk = (
        apps.get_model("enforcement", model)
        .objects.filter(**where)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return pk or 0


def rows_for(ctx: dict) -> list[tuple[str, str, str, str | None]]:
    """(label, role, path, admin peer path or None)."""
    from django.apps import apps

    Hazard = apps.get_model("hazards", "Hazard")
    enterprise = ctx["enterprise"]
    town = ctx["town"]
    today = datetime.date.today()
    major = Hazard.objects.filter(hazard_class="major", slip__isnull=False).order_by("-pk").first()
    hazard = Hazard.objects.filter(enterprise=enterprise).order_by("-pk").first()
    ctx["slip_hazard"] = major
    Inspection = apps.get_model("enforcement", "Inspection")
    inspection_pk = (
        Inspection.objects.filter(town=town)
        .order_by("-inspected_on", "-id")
        .values_list("pk", flat=True)
        .first()
        or 0
    )
    admin = "/bench-admin"
    rows = [
        ("home", role, "/", None)
        for role in ("county", "leader", "department", "town", "enterprise")
    ]
    rows += [
        ("enterprise list", "county", "/enterprises/", f"{admin}/enterprises/enterprise/"),
        ("enterprise list", "department", "/enterprises/", None),
        ("enterprise list", "town", "/enterprises/", None),
        ("enterprise list, page 40", "county", "/enterprises/?page=40",
         f"{admin}/enterprises/enterprise/?p=40"),
        ("enterprise detail", "county", f"/enterprises/{enterprise.pk}/", None),
        ("enterprise detail", "town", f"/enterprises/{enterprise.pk}/", None),
        ("hazard ledger", "county", "/hazards/", f"{admin}/hazards/hazard/"),
        ("hazard ledger", "leader", "/hazards/", None),
        ("hazard ledger", "department", "/hazards/", None),
        ("hazard ledger", "town", "/hazards/", f"{admin}/hazards/hazard/?town__id__exact={town.pk}"),
        ("hazard ledger", "enterprise", "/hazards/", None),
        ("hazard ledger, rectifying + overdue", "county", "/hazards/?status=rectifying&overdue=true",
         f"{admin}/hazards/hazard/?status__exact=rectifying&deadline__lt={today:%Y-%m-%d}"),
        ("hazard ledger, page 200", "county", "/hazards/?page=200",
         f"{admin}/hazards/hazard/?p=200"),
        ("hazard ledger, page 200", "department", "/hazards/?page=200", None),
        ("hazard ledger, name search", "county", "/hazards/?q=" + quote(enterprise.name[2:5]), None),
        ("hazard detail", "county", f"/hazards/{hazard.pk}/", None),
        ("case list", "county", "/enforcement/cases/", f"{admin}/enforcement/case/"),
        ("case list", "town", "/enforcement/cases/", None),
        ("case list, overdue", "county", "/enforcement/cases/?overdue=true", None),
        ("case detail", "county", f"/enforcement/cases/{_case_pk()}/", None),
        ("major hazards", "county", "/hazards/?hazard_class=major",
         f"{admin}/hazards/hazard/?hazard_class__exact=major"),
        ("major hazards", "department", "/hazards/?hazard_class=major", None),
        ("risk register", "county", "/hazards/risks/", f"{admin}/hazards/riskpoint/"),
        ("risk register", "town", "/hazards/risks/", None),
        ("compliance follow-up", "town", "/enterprises/compliance/", None),
        ("compliance follow-up", "county", "/enterprises/compliance/", None),
        ("compliance follow-up", "department", "/enterprises/compliance/", None),
        ("assessments", "county", "/enterprises/assessments/",
         f"{admin}/enterprises/selfassessment/"),
        ("assessments", "town", "/enterprises/assessments/", None),
        ("API hazard list", "county", "/api/v1/hazards/", None),
        ("accident list", "county", "/enforcement/accidents/", None),
        ("accident list", "town", "/enforcement/accidents/", None),
        ("accident statistics", "county", "/enforcement/accidents/statistics/", None),
        ("accident statistics", "town", "/enforcement/accidents/statistics/", None),
        ("API accident statistics", "county", "/api/v1/accidents/statistics/", None),
        # whistleblower reports (enforcement/reports); the status page is public
        ("report list", "county", "/enforcement/reports/", None),
        ("report list", "department", "/enforcement/reports/", None),
        ("report list, overdue", "county", "/enforcement/reports/?overdue=true", None),
        ("report statistics", "county", "/enforcement/reports/statistics/", None),
        ("API report list", "county", "/api/v1/whistleblower-reports/", None),
        ("report status page (public)", "county", "/enforcement/report/status/", None),
        ("API hazard list", "town", "/api/v1/hazards/", None),
        ("API hazard list", "department", "/api/v1/hazards/", None),
        ("API major hazards", "county", "/api/v1/major-hazards/", None),
        ("API major hazards", "department", "/api/v1/major-hazards/", None),
        ("API risk points", "county", "/api/v1/risk-points/", None),
        ("API self-assessments", "county", "/api/v1/self-assessments/", None),
        ("API enterprise list", "county", "/api/v1/enterprises/", None),
        # the public board answers the same to anyone (the cookie is not read)
        ("exposure board (public)", "county", "/enforcement/exposure/", None),
        ("exposure board, town + year", "county", f"/enforcement/exposure/?town={town.pk}&year={today.year}", None),
        ("exposure management", "county", "/enforcement/exposure/manage/", None),
        ("repeat offenders", "county", "/enforcement/repeat-offenders/", None),
        ("repeat offenders", "town", "/enforcement/repeat-offenders/", None),
        ("API repeat offenders", "county", "/api/v1/repeat-offenders/", None),
        ("plan progress", "county", f"/enforcement/plans/?year={today.year}", None),
        ("plan progress, by rate", "leader", f"/enforcement/plans/?year={today.year}&sort=-rate", None),
        ("API plans", "county", f"/api/v1/enforcement/plans/?year={today.year}", None),
        ("inspection list", "county", "/enforcement/inspections/", None),
        ("inspection list", "town", "/enforcement/inspections/", None),
        ("inspection list", "department", "/enforcement/inspections/", None),
        ("inspection list, page 200", "county", "/enforcement/inspections/?page=200", None),
        ("inspection detail", "county", f"/enforcement/inspections/{inspection_pk}/", None),
        ("只检查不执法", "county", "/enforcement/inspections/unfollowed/", None),
        ("只检查不执法", "town", "/enforcement/inspections/unfollowed/", None),
        ("API inspection list", "county", "/api/v1/inspections/", None),
        ("delegated items", "town", "/enforcement/items/", None),
        ("town authorisations", "county", "/enforcement/authorisations/", None),
        ("officers", "county", "/enforcement/officers/", None),
        ("officers", "town", "/enforcement/officers/", None),
        ("API authorisations", "department", "/api/v1/enforcement/authorisations/", None),
        # issue 10: every enforcement page and API list for each role that sees it
        ("case list", "department", "/enforcement/cases/", None),
        ("case list", "leader", "/enforcement/cases/", None),
        ("case list", "enterprise", "/enforcement/cases/", None),
        ("case list, page 200", "county", "/enforcement/cases/?page=200", None),
        ("case detail", "town", f"/enforcement/cases/{_latest_pk('Case', town=town)}/", None),
        ("API case list", "county", "/api/v1/cases/", None),
        ("API case list", "town", "/api/v1/cases/", None),
        ("API case list", "department", "/api/v1/cases/", None),
        ("inspection list", "leader", "/enforcement/inspections/", None),
        ("inspection list", "enterprise", "/enforcement/inspections/", None),
        ("inspection list, page 200", "town", "/enforcement/inspections/?page=200", None),
        ("inspection list, page 200", "department", "/enforcement/inspections/?page=200", None),
        ("inspection detail", "town", f"/enforcement/inspections/{inspection_pk}/", None),
        ("只检查不执法", "department", "/enforcement/inspections/unfollowed/", None),
        ("API inspection list", "town", "/api/v1/inspections/", None),
        ("API inspection list", "department", "/api/v1/inspections/", None),
        ("API inspection findings", "county", "/api/v1/inspection-findings/", None),
        ("API inspection findings", "town", "/api/v1/inspection-findings/", None),
        ("accident list", "department", "/enforcement/accidents/", None),
        ("accident list", "leader", "/enforcement/accidents/", None),
        ("accident detail", "county", f"/enforcement/accidents/{_latest_pk('Accident')}/", None),
        ("API accident list", "county", "/api/v1/accidents/", None),
        ("API accident list", "town", "/api/v1/accidents/", None),
        ("exposure board, page 20", "county", "/enforcement/exposure/?page=20", None),
        ("exposure detail (public)", "county",
         f"/enforcement/exposure/{_latest_pk('ExposedCase', withdrawn_at__isnull=True)}/", None),
        ("API exposed cases", "county", "/api/v1/exposed-cases/", None),
        ("repeat offenders", "leader", "/enforcement/repeat-offenders/", None),
        ("repeat offenders", "department", "/enforcement/repeat-offenders/", None),
        ("plan progress", "town", f"/enforcement/plans/?year={today.year}", None),
        ("plan progress", "department", f"/enforcement/plans/?year={today.year}", None),
        ("API plan targets", "county", "/api/v1/enforcement/plan-targets/", None),
        ("API plan targets", "town", "/api/v1/enforcement/plan-targets/", None),
        ("pairings", "county", "/enforcement/pairings/", None),
        ("pairings", "town", "/enforcement/pairings/", None),
        ("API pairings", "county", "/api/v1/enforcement/pairings/", None),
        ("delegated items", "county", "/enforcement/items/", None),
        ("delegated items", "department", "/enforcement/items/", None),
        ("delegated item detail", "town", f"/enforcement/items/{_latest_pk('DelegatedItem')}/", None),
        ("town authorisations", "town", "/enforcement/authorisations/", None),
        ("town authorisations", "department", "/enforcement/authorisations/", None),
        ("town authorisation detail", "county",
         f"/enforcement/authorisations/{_latest_pk('TownAuthorisation', town=town)}/", None),
        ("officers", "department", "/enforcement/officers/", None),
        ("API delegated items", "town", "/api/v1/enforcement/items/", None),
        # issue 12 item 2: the dashboards, the briefing and the dashboard export
        ("dashboard", "county", "/dashboard/", None),
        ("dashboard", "leader", "/dashboard/", None),
        ("dashboard", "town", "/dashboard/", None),
        ("dashboard", "department", "/dashboard/", None),
        ("dashboard, county narrowed to a town", "county", f"/dashboard/?town={town.pk}", None),
        ("dashboard, last year", "county", f"/dashboard/?year={today.year - 1}", None),
        ("dashboard, date range", "county",
         f"/dashboard/?start={today.year}-01-01&end={today:%Y-%m-%d}", None),
        ("leaders' briefing", "leader", "/dashboard/briefing/", None),
        ("dashboard export", "county", "/dashboard/export/", None),
        # issue 12: the stored reports' list, and the bulletin's preview (its content built
        # live from the major hazards: the same work as issuing it)
        ("report list", "county", "/reports/", None),
        ("report list", "town", "/reports/", None),
        ("report list, bulletins", "leader", "/reports/?kind=major_hazard_bulletin", None),
        ("bulletin preview (content built)", "county",
         f"/reports/{_draft_bulletin_pk()}/preview/", None),
    ]  # fmt: skip
    plan = (
        apps.get_model("enforcement", "InspectionPlan")
        .objects.filter(unit=town, year=today.year)
        .first()
    )
    if plan is not None:
        rows += [("plan page", "town", f"/enforcement/plans/{plan.pk}/", None)]
        rows += [
            ("plan page, overdue", "county", f"/enforcement/plans/{plan.pk}/?state=overdue", None)
        ]
        rows += [("plan page", "county", f"/enforcement/plans/{plan.pk}/", None)]
        rows += [("plan page, page 20", "town", f"/enforcement/plans/{plan.pk}/?page=20", None)]
    department = ctx["users"]["department"].organisation_id
    plan = (
        apps.get_model("enforcement", "InspectionPlan")
        .objects.filter(unit_id=department, year=today.year)
        .first()
    )
    if plan is not None:
        rows += [("plan page", "department", f"/enforcement/plans/{plan.pk}/", None)]
    rows += _appraisal_rows(ctx)
    rows += _responsibility_rows(ctx, today)
    return rows


def _appraisal_rows(ctx: dict) -> list[tuple[str, str, str, str | None]]:
    """The year-end appraisal: the newest round's page and a town's result page (when the
    data holds a round: the demo's, or one opened on the bench database)."""
    from django.apps import apps

    round_ = apps.get_model("responsibilities", "AppraisalRound").objects.order_by("-year").first()
    if round_ is None:
        return []
    rows = [
        ("appraisal round", "county", f"/responsibilities/appraisal/{round_.year}/", None),
        ("appraisal round", "department", f"/responsibilities/appraisal/{round_.year}/", None),
        ("appraisal round, towns", "leader",
         f"/responsibilities/appraisal/{round_.year}/?unit_type=town", None),
        ("API appraisal results", "county", f"/api/v1/appraisal-results/?year={round_.year}", None),
    ]  # fmt: skip
    result = (
        apps.get_model("responsibilities", "AppraisalResult")
        .objects.filter(round=round_, unit=ctx["town"])
        .first()
    )
    if result is not None:
        rows += [
            ("appraisal result", "county", f"/responsibilities/appraisal/results/{result.pk}/", None),
            ("appraisal result", "town", f"/responsibilities/appraisal/results/{result.pk}/", None),
            ("API appraisal result", "town", f"/api/v1/appraisal-results/{result.pk}/", None),
        ]  # fmt: skip
    return rows


def _responsibility_rows(ctx: dict, today: datetime.date) -> list:
    """Issue 11: duty lists (the county's completion overview, one unit's list), 约谈, the
    supervision map and the 监管空白 list."""
    from django.apps import apps

    DutyList = apps.get_model("responsibilities", "DutyList")
    town_list = DutyList.objects.filter(owner=ctx["town"], year=today.year).first()
    department = ctx["users"]["department"].organisation_id
    dept_list = DutyList.objects.filter(owner_id=department, year=today.year).first()
    rows = [
        ("duty overview", "county", f"/responsibilities/duty/?year={today.year}", None),
        ("duty overview", "leader", f"/responsibilities/duty/?year={today.year}", None),
        ("interview list", "county", "/responsibilities/interviews/", None),
        ("interview list", "town", "/responsibilities/interviews/", None),
        ("supervision map", "county", "/responsibilities/supervision-map/", None),
        ("supervision map", "department", "/responsibilities/supervision-map/", None),
        ("API supervision map (year)", "county", f"/api/v1/supervision-maps/{today.year}/", None),
        ("监管空白 (supervision gaps)", "county", "/enterprises/supervision-gaps/", None),
        ("监管空白 (supervision gaps)", "town", "/enterprises/supervision-gaps/", None),
    ]  # fmt: skip
    if town_list is not None:
        rows += [
            ("duty list (unit)", "town", f"/responsibilities/duty/{town_list.pk}/", None),
            ("duty list (unit)", "county", f"/responsibilities/duty/{town_list.pk}/", None),
        ]
    if dept_list is not None:
        rows += [
            ("duty list (unit)", "department", f"/responsibilities/duty/{dept_list.pk}/", None)
        ]
    return rows


def main() -> int:
    started_at = datetime.datetime.now(datetime.UTC)
    print(f"bench: scale {SCALE}, database {DB_URL}", flush=True)
    notes = [prepare_database()]
    ctx = bench_accounts()
    notes.append(vacuum())
    users = ctx["users"]
    cookies = {name: session_cookie(user) for name, user in users.items()}
    from django.apps import apps

    Enterprise = apps.get_model("enterprises", "Enterprise")
    Hazard = apps.get_model("hazards", "Hazard")
    sizes = f"{Enterprise.objects.count():,} enterprises, {Hazard.objects.count():,} hazards"
    rows = rows_for(ctx)
    if ROWS:
        rows = [row for row in rows if re.search(ROWS, row[0], re.IGNORECASE)]
    table, throughput_rows, background = [], [], []
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        server = start_server(static_root, port)
        for label, role, path, peer in rows:
            page = timed(base + path, cookies[role])
            count, floor_ms = queries_and_floor(path, users[role])
            peer_p50 = timed(base + peer, cookies["admin"])["p50"] if peer else None
            line = {
                "label": label, "role": role, "path": path, **page, "queries": count,
                "sql_ms": floor_ms, "floor": page["p50"] / floor_ms if floor_ms else None,
                "peer_ms": peer_p50, "peer": page["p50"] / peer_p50 if peer_p50 else None,
            }  # fmt: skip
            table.append(line)
            print(format_row(line), flush=True)
        if ROWS:
            return report_only(started_at, sizes, notes, table)
        trivial = throughput(base + "/notifications/", cookies["town"])
        throughput_rows.append(
            ("trivial: notifications list (town, none)", "/notifications/", trivial)
        )
        for label, role, path in (
            ("hazard ledger (county)", "county", "/hazards/"),
            ("hazard ledger (town)", "town", "/hazards/"),
            ("home (county)", "county", "/"),
            ("home (town)", "town", "/"),
        ):
            throughput_rows.append((label, path, throughput(base + path, cookies[role])))
            print(f"throughput {label}: {throughput_rows[-1][2]:.1f}/s", flush=True)
        for label, path in (
            ("交办单 PDF (slip)", f"/hazards/{ctx['slip_hazard'].pk}/slip.pdf"),
            ("enterprise file PDF", f"/enterprises/{ctx['enterprise'].pk}/file.pdf"),
        ):
            page = timed(base + path, cookies["county"])
            background.append((label, f"p50 {page['p50']:.0f} ms, p95 {page['p95']:.0f} ms"
                                f" (n={page['n']}, status {page['status']})"))  # fmt: skip
    finally:
        stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)
    print("escalation sweep ...", flush=True)
    background.append(("escalation sweep over all open hazards", escalation_sweep()))
    print("export ...", flush=True)
    background.append(("hazard export (county office)", export_probe(users["county"].username)))
    print("import ...", flush=True)
    background.append(("registry import", import_probe()))
    print("appraisal ...", flush=True)
    background.append(("appraisal: one town's result computed (the busiest)", appraisal_probe()))
    report = render(started_at, sizes, notes, table, throughput_rows, background)
    print(report)
    out = HERE / "results" / f"{SCALE}-{started_at:%Y%m%dT%H%M%SZ}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def report_only(started_at, sizes, notes, table) -> int:
    """The table of the chosen rows (BENCH_ROWS), printed and written like a full run's."""
    report = render(started_at, sizes, notes, table, [], [])
    print(report)
    out = HERE / "results" / f"{SCALE}-rows-{started_at:%Y%m%dT%H%M%SZ}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def format_row(line: dict) -> str:
    return (
        f"{line['label']:<38} {line['role']:<11} p50 {line['p50']:8.0f}  p95 {line['p95']:8.0f}"
        f"  q {line['queries']:4d}  floor {fmt(line['floor'])}  peer {fmt(line['peer'])}"
    )


def fmt(value, digits=1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(started_at, sizes, notes, table, throughput_rows, background) -> str:
    lines = [
        f"# Bench, {SCALE} scale, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Data: {sizes}. Server: gunicorn, 2 sync workers, DEBUG off, PostgreSQL, Redis,"
        f" on {os.cpu_count()} cores; {N} sequential requests per row after a warm-up"
        " (fewer when a page takes over a second: n says how many).",
        "",
        "| page | account | p50 ms | p95 ms | n | status | queries | SQL ms | floor | admin p50 ms | peer |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in table:
        lines.append(
            f"| {r['label']} | {r['role']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['n']} |"
            f" {r['status']} | {r['queries']} | {r['sql_ms']:.1f} | {fmt(r['floor'])} |"
            f" {fmt(r['peer_ms'], 0)} | {fmt(r['peer'], 2)} |"
        )
    trivial = throughput_rows[0][2] if throughput_rows else 0
    lines += [
        "",
        f"Throughput ({'wrk' if shutil.which('wrk') else 'Python loader'}, 4 connections,"
        f" {LOAD_SECONDS} s, loopback):",
        "",
        "| page | requests/s | ratio to trivial |",
        "| --- | ---: | ---: |",
    ]
    for label, _path, rate in throughput_rows:
        lines.append(f"| {label} | {rate:.1f} | {rate / trivial if trivial else 0:.3f} |")
    lines += ["", "Background work:", ""]
    lines += [f"- {label}: {text}" for label, text in background]
    lines += ["", "Database: " + " / ".join(n.splitlines()[0] for n in notes), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
