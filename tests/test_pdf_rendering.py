"""The platform's PDF helper (safetyportal/core/pdf.py): Chinese text embedded and right, one
font configuration reused, fonts subset by HarfBuzz, nothing fetched from the network."""

from __future__ import annotations

import base64
import re
import threading
import time

import pytest

from safetyportal.core import pdf
from tests.pdf import pdf_fonts, pdf_text

CHINESE = '<html lang="zh-CN"><body><h1>重大事故隐患治理任务交办单</h1><p>整改完成时限：2026年12月31日</p></body></html>'


def test_chinese_text_is_embedded_and_extractable():
    content = pdf.render_pdf(CHINESE)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "重大事故隐患治理任务交办单" in text
    assert "整改完成时限：2026年12月31日" in text
    fonts = pdf_fonts(content)
    assert fonts and all("Noto-Sans-CJK" in name for name in fonts), fonts  # embedded subsets


def test_margin_boxes_get_the_cjk_font_without_the_template_naming_it():
    html = (
        '<html lang="zh-CN"><head><style>@page { @bottom-right { content: "第 "'
        ' counter(page) " 页"; } }</style></head><body><p>正文</p></body></html>'
    )
    content = pdf.render_pdf(html)
    assert re.search(r"第\s*1\s*页", pdf_text(content))
    fonts = pdf_fonts(content)
    assert all("Noto-Sans-CJK" in name for name in fonts), fonts  # no serif fallback


def test_fonts_are_subset_by_harfbuzz_not_the_slow_fallback():
    assert pdf.has_fast_subsetting(), "install libharfbuzz-subset0 (Debian)"


def test_one_font_configuration_is_reused_within_a_thread_and_not_shared_across():
    first = pdf._shared()
    pdf.render_pdf(CHINESE)
    assert pdf._shared() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf._shared()))
    thread.start()
    thread.join()
    assert other[0] is not first


def test_a_warm_renderer_makes_a_one_page_chinese_pdf_quickly():
    pdf.warm_up()
    started = time.perf_counter()
    pdf.render_pdf(CHINESE)
    # about 0.1 s here; the fontTools fallback or a font configuration per document is
    # 1-13 s. Generous, for a loaded machine.
    assert time.perf_counter() - started < 3


def test_documents_may_embed_data_urls_and_static_files_but_fetch_nothing_else():
    pixel = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    ).decode()
    assert pdf.fetch_url(f"data:image/png;base64,{pixel}").read().startswith(b"\x89PNG")
    assert b"font-family" in pdf.fetch_url("/static/css/portal.css").read()
    assert b"font-family" in pdf.fetch_url("http://testserver/static/css/portal.css").read()
    for url in (
        "http://127.0.0.1:8000/hazards/1/slip.pdf",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "/static/../settings.py",
    ):
        with pytest.raises(ValueError):
            pdf.fetch_url(url)


def test_a_template_may_use_static_urls():
    html = (
        '<html lang="zh-CN"><head><link rel="stylesheet" href="/static/css/portal.css">'
        '</head><body><p class="card-figure">正文</p></body></html>'
    )
    assert "正文" in pdf_text(pdf.render_pdf(html))


def test_an_image_from_elsewhere_is_left_out_not_fetched():
    html = '<html lang="zh-CN"><body><img src="http://192.0.2.1/x.png"><p>正文</p></body></html>'
    started = time.perf_counter()
    text = pdf_text(pdf.render_pdf(html))
    assert "正文" in text
    assert time.perf_counter() - started < 5  # no network timeout waited for
