"""HTML to PDF, the one place the portal calls WeasyPrint (the 交办单, the enterprise file,
and later the appraisal reports).

What makes a Chinese PDF slow, and what this module does about it:

- WeasyPrint's default is a new `FontConfiguration` for every document: fontconfig loads its
  configuration and font list again and Pango opens the Noto CJK collections (20 MB each)
  again, about 0.1 s a document here and seconds where fontconfig's cache is stale. One
  configuration is kept per thread (Pango's font map is not shared between threads) and
  reused, with the faces Pango has opened.
- Importing WeasyPrint and opening the fonts costs about 2 s once per process. `warm_up()`
  pays it when a web worker starts (safetyportal/wsgi.py), not in a user's request.
- Font subsetting needs HarfBuzz's subsetter (Debian `libharfbuzz-subset0`); without it
  WeasyPrint falls back to fontTools and a one-page Chinese PDF takes 13 s, with only a log
  line to say so. `has_fast_subsetting()` tells; a test asserts it.
- Documents reference nothing over the network: the URL fetcher serves `data:` URLs and our
  own static files (`/static/...`, read from disk), and refuses everything else (a fetch of the portal's own URL from inside a
  sync worker would wait for a worker that is busy rendering).

Large reports are built ahead of time in Celery and the stored file is served; never render
a big PDF inside a web request (see ../shared/docs/platform-notes.md).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)
DOCUMENT_ORIGIN = "https://portal.invalid/"  # never contacted: see _static_file
_local = threading.local()
# Under every document, as a user stylesheet (the templates' own rules win): CJK text in the
# one family the server has (fonts-noto-cjk), also inside the @page margin boxes, which do not
# inherit the body's font.
BASE_CSS = """
@page {
  @top-left { font-family: "Noto Sans CJK SC", sans-serif; }
  @top-center { font-family: "Noto Sans CJK SC", sans-serif; }
  @top-right { font-family: "Noto Sans CJK SC", sans-serif; }
  @bottom-left { font-family: "Noto Sans CJK SC", sans-serif; }
  @bottom-center { font-family: "Noto Sans CJK SC", sans-serif; }
  @bottom-right { font-family: "Noto Sans CJK SC", sans-serif; }
}
html { font-family: "Noto Sans CJK SC", sans-serif; }
"""


def _shared() -> tuple[Any, Any, Any]:
    """This thread's font configuration, the parsed base stylesheet and the URL fetcher,
    made once."""
    shared = getattr(_local, "shared", None)
    if shared is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        shared = (
            font_config,
            CSS(string=BASE_CSS, font_config=font_config),
            _fetcher_class()(allowed_protocols=["data"]),
        )
        _local.shared = shared
    return shared


def _static_file(url: str) -> str | None:
    """The file behind a URL under STATIC_URL: found by the static-file finders, or in
    STATIC_ROOT once collected; None for any other URL."""
    from django.contrib.staticfiles import finders

    static_url = settings.STATIC_URL or "/static/"
    path = url
    if "://" in url:
        if not url.startswith(("http://", "https://")):
            return None
        rest = url.split("://", 1)[1]
        path = rest[rest.find("/") :] if "/" in rest else "/"
    if not path.startswith(static_url):
        return None
    name = path[len(static_url) :].split("?", 1)[0].split("#", 1)[0]
    if ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found is None and settings.STATIC_ROOT:
        from django.contrib.staticfiles.storage import staticfiles_storage

        if staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
    return found if isinstance(found, str) else None


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalURLFetcher(URLFetcher):
        """`data:` URLs, and our static files read from disk; nothing from the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_file(url)
            if found is None:
                raise ValueError(f"PDF documents may not fetch {url}")
            with open(found, "rb") as handle:
                return URLFetcherResponse(url, handle.read())

    return PortalURLFetcher


def fetch_url(url: str) -> Any:
    """What a document gets for `url` (a `URLFetcherResponse`); ValueError when refused."""
    return _shared()[2].fetch(url)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of an HTML document (a rendered template with `<html lang="zh-CN">`).
    `{% static %}` URLs work as they are: relative URLs resolve against a placeholder origin
    and the fetcher reads /static/ files from disk."""
    from weasyprint import HTML

    font_config, base_css, fetcher = _shared()
    document = HTML(string=html, base_url=base_url or DOCUMENT_ORIGIN, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[base_css], font_config=font_config)


def render_pdf_with_pages(html: str, *, base_url: str | None = None) -> tuple[bytes, int]:
    """`render_pdf`, with the number of pages laid out (what a stored report lists)."""
    from weasyprint import HTML

    font_config, base_css, fetcher = _shared()
    document = HTML(string=html, base_url=base_url or DOCUMENT_ORIGIN, url_fetcher=fetcher).render(
        stylesheets=[base_css], font_config=font_config
    )
    return document.write_pdf(), len(document.pages)


def has_fast_subsetting() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools (slow)."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


def warm_up() -> None:
    """Import WeasyPrint and open the CJK fonts (regular and bold) now, so that the first
    PDF a worker renders costs what the others do. A failure is logged, never raised: the
    portal still serves its pages when the PDF machinery is broken."""
    try:
        render_pdf('<html lang="zh-CN"><body><b>预热</b>文字</body></html>')
    except Exception:
        logger.exception("WeasyPrint could not render the warm-up PDF")
        return
    if not has_fast_subsetting():
        logger.warning(
            "WeasyPrint subsets fonts with fontTools: Chinese PDFs take 10+ s a page;"
            " install libharfbuzz-subset0"
        )
