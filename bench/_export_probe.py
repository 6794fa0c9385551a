"""Child process of bench/run.py: one hazard export as the county office, timed, with the
process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent
across fork and exec) before and after. Prints one JSON line."""

from __future__ import annotations

import json
import sys
import time

from _setup import setup_django


def peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main(query: str, username: str) -> None:
    setup_django(prepare=False)
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    before = peak_rss_kb()
    started = time.perf_counter()
    response = client.get("/hazards/export/" + query)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak = peak_rss_kb()
    print(
        json.dumps(
            {
                "status": response.status_code,
                "seconds": seconds,
                "bytes": size,
                "rss_before_mb": before / 1024,
                "rss_peak_mb": peak / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
