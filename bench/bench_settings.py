"""Settings for the bench server: the portal's own settings, with a URLconf that adds a
plain Django admin (bench/bench_urls.py) as the peer to compare list pages with. Nothing
else changes: the server runs as in production (DEBUG off, gunicorn, PostgreSQL, Redis)."""

from safetyportal.settings import *  # noqa: F403 (the portal's settings, unchanged)

ROOT_URLCONF = "bench_urls"
