"""HTML and JSON answers are gzip-compressed for clients that accept it; PDFs and streamed
exports are left as they are (safetyportal/core/compression.py)."""

from __future__ import annotations

import gzip

from django.urls import reverse

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_page_is_sent_compressed_to_a_browser_and_plain_otherwise(client_for, county_officer):
    client = client_for(county_officer)
    plain = client.get("/hazards/")
    packed = client.get("/hazards/", **GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "隐患台账" in html and html.rstrip().endswith("</html>")
    assert len(packed.content) < len(plain.content) / 2


def test_the_api_is_sent_compressed(api_client_for, county_officer):
    response = api_client_for(county_officer).get("/api/v1/enterprises/", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_a_pdf_and_a_streamed_export_are_not_compressed_again(client_for, county_officer, county):
    client = client_for(county_officer)
    pdf = client.get(reverse("enterprises:file_pdf", args=[county.xdk_chem.pk]), **GZIP)
    assert pdf.status_code == 200
    assert "Content-Encoding" not in pdf
    assert pdf.content.startswith(b"%PDF")
    export = client.get(reverse("hazards:export"), **GZIP)
    assert export.status_code == 200
    assert "Content-Encoding" not in export
    assert b"".join(export.streaming_content).startswith(b"PK")  # the xlsx, as it was
