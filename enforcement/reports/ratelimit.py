"""Per-client limits on the public pages (the report form, the receipt lookup, the
enterprise-name search), counted in Django's cache: a fixed window per client address and
purpose. Over the limit, the page answers 429 with the same message whatever was asked."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

WINDOWS = {"submit": 3600, "lookup": 600, "search": 600}


def _client(request) -> str:
    # the address is hashed: the cache never holds a reporter's IP in clear
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def hit(request, purpose: str, limit: int) -> bool:
    """Count one request; True while `request`'s client is within `limit` per window."""
    window = WINDOWS[purpose]
    slot = int(time.time()) // window
    key = f"report-rate:{purpose}:{_client(request)}:{slot}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
