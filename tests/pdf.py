"""Reading generated PDFs in tests."""

from __future__ import annotations

import subprocess


def pdf_text(content: bytes) -> str:
    """The text of a PDF, through poppler's pdftotext."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode()
