"""Pages and API answers go out gzip-compressed; files and downloads do not.

The portal is served by gunicorn without a proxy in front (static files by WhiteNoise,
compressed ahead of time by collectstatic). A page's HTML is the first thing a phone waits
for before its first paint: the county's hazard ledger is 29 KB, 4 KB compressed, a fifth of
a second less on a slow mobile connection.

Django's GZipMiddleware does the work, with its guard against BREACH (random padding in the
gzip header). It is restricted here to text answers that are already in memory: a PDF, a
spreadsheet or a photo is compressed already, and a streamed export (StreamingHttpResponse)
keeps its streaming and its memory bound, untouched.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = frozenset(
    {"text/html", "text/plain", "application/json", "application/vnd.oai.openapi+json"}
)


class PageCompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if response.streaming or content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
