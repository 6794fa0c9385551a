"""Static files as production serves them, and pages that paint before their scripts run.

- collected by the production storage (WhiteNoise's CompressedManifestStaticFilesStorage,
  into a temporary STATIC_ROOT), a hashed file is answered compressed (Brotli, gzip) and
  cached for ten years as immutable; the unhashed name only briefly;
- every <script src> of the base template is deferred, so no script blocks the first paint;
- ECharts (1 MB) is loaded only by pages that draw charts (includes/_echarts.html);
- the page links only the icons the portal uses (scripts/icon_subset.py), and the subset
  holds every icon a template names.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, override_settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
TEN_YEARS = 315360000


SERVED = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/htmx/htmx.min.js",
    "css/portal.css",
    "vendor/bootstrap-icons/portal-icons.css",
    "vendor/bootstrap-icons/fonts/portal-icons.woff2",
]


def production_settings(source: Path, root: Path):
    return override_settings(
        STORAGES=PRODUCTION_STORAGES,
        STATICFILES_DIRS=[str(source)],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATIC_ROOT=str(root),
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        DEBUG=False,
    )


@pytest.fixture(scope="module")
def collected_dirs(tmp_path_factory):
    """collectstatic through the production storage, for a few of our static files (all of
    them, ECharts' megabyte included, would take minutes to Brotli-compress)."""
    source = tmp_path_factory.mktemp("static-source")
    root = tmp_path_factory.mktemp("static-root")
    for name in SERVED:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / "static" / name).read_bytes())
    with production_settings(source, root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return source, root


@pytest.fixture
def collected(collected_dirs):
    """The production storage, and WhiteNoise serving STATIC_ROOT (no finders, no
    autorefresh) as it does under gunicorn."""
    with production_settings(*collected_dirs):
        from django.contrib.staticfiles.storage import staticfiles_storage

        yield staticfiles_storage


def static_get(path: str, encoding: str | None):
    extra = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
    response = Client().get(path, **extra)  # a new client: WhiteNoise reads STATIC_ROOT
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.mark.parametrize(
    "name",
    ["vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "css/portal.css"],
)
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_hashed_static_file_is_served_compressed_and_cached_as_immutable(
    collected, name, encoding
):
    url = collected.url(name)
    assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url  # the manifest's hashed name
    response, body = static_get(url, f"{encoding}, deflate")
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    cache_control = response["Cache-Control"]
    assert f"max-age={TEN_YEARS}" in cache_control
    assert "immutable" in cache_control
    original = (ROOT / "static" / name).stat().st_size
    assert len(body) < original / 2  # compressed, not merely labelled so


def test_without_accept_encoding_the_file_comes_plain(collected):
    response, body = static_get(collected.url("css/portal.css"), None)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert body == (ROOT / "static" / "css" / "portal.css").read_bytes()


def test_the_unhashed_name_is_cached_briefly_and_not_as_immutable(collected):
    response, _ = static_get(f"{settings.STATIC_URL}vendor/bootstrap/bootstrap.min.css", "br")
    assert response.status_code == 200
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age <= 3600
    assert "immutable" not in response["Cache-Control"]


def test_the_icon_font_is_collected_under_a_hashed_name_the_css_points_to(collected):
    css_url = collected.url("vendor/bootstrap-icons/portal-icons.css")
    _, body = static_get(css_url, None)
    font = re.search(r'url\("([^"]+)"\)', body.decode()).group(1)
    assert re.match(r"fonts/portal-icons\.[0-9a-f]{12}\.woff2$", font), font
    response, _ = static_get(css_url.rsplit("/", 1)[0] + "/" + font, None)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]


# --- what the pages load ------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.stylesheets: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "script":
            self.scripts.append({**attrs, "in_head": self.in_head})
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


@pytest.fixture
def pages(client_for, county_officer, town_official, county):
    """The HTML of a few pages without charts, as two roles and anonymously."""
    out = {"login": Client().get("/accounts/login/")}
    for name, user in (("county", county_officer), ("town", town_official)):
        client = client_for(user)
        for path in ("/", "/hazards/", "/enterprises/", "/notifications/"):
            out[f"{name} {path}"] = client.get(path)
    for key, response in out.items():
        assert response.status_code == 200, key
    return {key: response.content.decode() for key, response in out.items()}


def test_no_script_blocks_the_first_paint(pages):
    for key, html in pages.items():
        tags = tags_of(html)
        assert tags.scripts, key
        for script in tags.scripts:
            assert script.get("src"), f"{key}: inline <script> (put the code in a deferred file)"
            assert "defer" in script or "async" in script, f"{key}: {script['src']} blocks"


def test_pages_without_charts_do_not_load_echarts(pages):
    for key, html in pages.items():
        assert "echarts" not in html, key


def test_the_chart_include_loads_echarts_deferred():
    tags = tags_of(render_to_string("includes/_echarts.html"))
    assert len(tags.scripts) == 1
    assert re.search(r"/vendor/echarts/echarts\.min\.([0-9a-f]{12}\.)?js$", tags.scripts[0]["src"])
    assert "defer" in tags.scripts[0]


def test_the_pages_link_minified_bootstrap_and_only_the_icons_used(pages):
    for key, html in pages.items():
        sheets = tags_of(html).stylesheets
        assert any(s.endswith("vendor/bootstrap/bootstrap.min.css") for s in sheets), key
        assert any(s.endswith("vendor/bootstrap-icons/portal-icons.css") for s in sheets), key
        assert not any("bootstrap-icons.min.css" in s for s in sheets), key
        # the CJK text is drawn with the phone's own fonts: no web font for text
        assert "fonts.googleapis" not in html and ".woff" not in html, key


def test_every_icon_a_template_names_is_in_the_subset():
    from fontTools.ttLib import TTFont

    from scripts.icon_subset import OUT_CSS, OUT_FONT, codepoints, used_icons

    used = used_icons() & set(codepoints())
    assert {"bell", "shield-check"} <= used  # the scan finds the base template's icons
    css = OUT_CSS.read_text(encoding="utf-8")
    missing = sorted(name for name in used if f".bi-{name}::before" not in css)
    assert not missing, f"run scripts/icon_subset.py: {missing} are not in the subset"
    cmap = TTFont(str(OUT_FONT)).getBestCmap()
    table = codepoints()
    assert all(table[name] in cmap for name in used)
