"""Child process of bench/run.py: one hazard export as the county office, timed, with the
process's peak resident memory (ru_maxrss) before and after. Prints one JSON line."""

from __future__ import annotations

import json
import resource
import sys
import time

from _setup import setup_django


def main(query: str, username: str) -> None:
    setup_django(prepare=False)
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get("/hazards/export/" + query)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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
