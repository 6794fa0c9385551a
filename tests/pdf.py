"""Reading generated PDFs in tests."""

from __future__ import annotations

import subprocess
import tempfile


def pdf_text(content: bytes, *, first: int | None = None, last: int | None = None) -> str:
    """The text of a PDF (or of its pages `first` to `last`), through poppler's pdftotext."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", *pages, "-", "-"],
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode()


def pdf_fonts(content: bytes) -> list[str]:
    """The names of the fonts a PDF uses (poppler's pdffonts), e.g. `ABCDEF+NotoSansCJKsc-Regular`."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        done = subprocess.run(
            ["pdffonts", handle.name], capture_output=True, check=True, timeout=60
        )
    lines = done.stdout.decode().splitlines()[2:]  # after the header and its rule
    return [line.split()[0] for line in lines if line.strip()]
