"""HTTP probes of the fault and load tests: plain GETs with a session cookie, no redirects
followed (a login redirect is a failure, not a page)."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Outcome:
    started: float
    seconds: float
    path: str
    status: int  # 0: no answer (connection refused, reset, timeout)


def get(port: int, path: str, cookie: str, timeout: float = 30.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def probe(port: int, path: str, cookie: str) -> Outcome:
    started = time.monotonic()
    try:
        status, _ = get(port, path, cookie)
    except OSError:
        status = 0
    return Outcome(started, time.monotonic() - started, path, status)


@dataclass
class Load:
    """Clients cycling through paths until stopped; every outcome kept."""

    port: int
    cookie: str
    paths: list[str]
    clients: int = 4
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.clients)
        ]

    def _run(self, n: int) -> None:
        i = n
        while not self._stop.is_set():
            outcome = probe(self.port, self.paths[i % len(self.paths)], self.cookie)
            with self._lock:
                self.outcomes.append(outcome)
            i += 1

    def start(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Outcome]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return self.outcomes


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
