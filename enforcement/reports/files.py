"""The reporter's files, made safe to keep: only photos and PDF (checked by content,
safetyportal.core.uploads.check_upload), each rewritten without its metadata before it is
stored. A photo is decoded and re-encoded by Pillow with no EXIF (GPS, camera, author,
time) and no other ancillary chunks; a PDF is re-written by pypdf with an empty document
information dictionary and no XMP metadata. The kept name is random (an original file name
can name the reporter)."""

from __future__ import annotations

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from safetyportal.core.uploads import PHOTO_MAX_EDGE, PHOTOS_AND_PDF, check_upload


def _clean_image(upload) -> SimpleUploadedFile:
    upload.seek(0)
    with Image.open(upload) as image:
        picture = ImageOps.exif_transpose(image)
        picture.thumbnail((PHOTO_MAX_EDGE, PHOTO_MAX_EDGE))
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        # a new image from the pixels only: nothing of the source's info travels along
        bare = Image.new(picture.mode, picture.size)
        bare.paste(picture)
        buffer = io.BytesIO()
        bare.save(buffer, format="JPEG", quality=85, optimize=True)
    return SimpleUploadedFile(
        f"{secrets.token_hex(8)}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )


def _clean_pdf(upload) -> SimpleUploadedFile:
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(_("PDF 文件已加密，请去除密码后再上传。"), code="encrypted_pdf")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        # no document information dictionary (author, tools, dates) and no XMP stream
        writer.metadata = None
        buffer = io.BytesIO()
        writer.write(buffer)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(
            _("PDF 文件已损坏或无法读取，请重新导出后上传。"), code="bad_pdf"
        ) from None
    return SimpleUploadedFile(
        f"{secrets.token_hex(8)}.pdf", buffer.getvalue(), content_type="application/pdf"
    )


def clean_report_file(upload) -> tuple[SimpleUploadedFile, str]:
    """The file to keep (metadata stripped, random name) and its extension, or a
    ValidationError in Chinese (wrong type, too large, unreadable)."""
    detected = check_upload(upload, allowed=PHOTOS_AND_PDF)
    if detected.extension == "pdf":
        return _clean_pdf(detected.file), "pdf"
    return _clean_image(detected.file), "jpg"
