"""Throwaway servers for the fault tests: a Redis, a PostgreSQL cluster, the portal under
gunicorn and Celery workers, each started by a test on a free loopback port (in a temporary
folder) and stopped by it. The machine's own PostgreSQL (5432) and Redis (6379) are never
touched: other sessions use them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# the worker and web processes' settings: production settings plus test knobs
FAULT_SETTINGS = "tests.faults.fault_settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """redis-server on a free port with no persistence; stop() and start() keep the port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self.ping, 10), "the test's redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


class PostgresServer:
    """A PostgreSQL cluster of its own (initdb, trust auth) on a free port; run as the
    `postgres` user when the tests run as root (the server refuses root)."""

    def __init__(self):
        # its own folder directly under /tmp: pytest's temporary folders are private to root,
        # and the server runs as `postgres`
        self.folder = Path(tempfile.mkdtemp(prefix="sp-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, *command) -> None:
        argv = [str(part) for part in command]
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            PG_BIN / "pg_ctl",
            action,
            "-D",
            self.data,
            "-w",
            "-t",
            "30",
            "-l",
            self.folder / "server.log",
            "-o",
            options,
            *extra,
        )

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def create_database_from(self, source_url: str, name: str) -> str:
        """A copy of another database (pg_dump | pg_restore); returns its URL."""
        admin = psycopg2.connect(self.url().replace("postgres://", "postgresql://"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        dump = subprocess.Popen(
            ["pg_dump", "-Fc", source_url.replace("postgres://", "postgresql://")],
            stdout=subprocess.PIPE,
        )
        restored = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={self.url(name).replace('postgres://', 'postgresql://')}",
            ],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
        )
        dump.stdout.close()
        dump.wait()
        assert dump.returncode == 0 and restored.returncode == 0, restored.stderr
        return self.url(name)


def process_env(*, database_url: str, secret_key: str, redis_url: str = "", **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": FAULT_SETTINGS,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


class WebServer:
    """The portal under gunicorn (one worker, threads), as production runs it."""

    def __init__(self, env: dict, threads: int = 4):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "safetyportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self._answers, 30), "gunicorn did not start"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(self.base + "/accounts/login/", timeout=2)
            return True
        except Exception:
            return self.process.poll() is not None

    def stop(self) -> None:
        stop_process(self.process)


def start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    with log_path.open("ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safetyportal",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL: no shutdown, no acknowledgement, exactly what a crash or the OOM killer does."""
    process.send_signal(signal.SIGKILL)
    process.wait()
