"""Checking uploaded files by their content, never by their names, for every app.

Callers say which kinds they accept; the check returns what the file really is or raises
a ValidationError that tells the user in Chinese what is wrong and what to do.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

LABELS = {
    "jpg": "JPEG 图片",
    "png": "PNG 图片",
    "webp": "WebP 图片",
    "pdf": "PDF",
    "docx": "Word（docx）",
    "doc": "Word（doc）",
    "xlsx": "Excel（xlsx）",
    "xls": "Excel（xls）",
}
IMAGES = frozenset({"jpg", "png", "webp"})
PHOTOS_AND_PDF = IMAGES | {"pdf"}
EVIDENCE = PHOTOS_AND_PDF | {"docx", "doc", "xlsx", "xls"}
EXCEL = frozenset({"xlsx"})


@dataclass(frozen=True)
class DetectedFile:
    extension: str
    mime: str


def check_upload(upload, *, allowed: frozenset[str]) -> DetectedFile:
    """What `upload` really is, if it is of an `allowed` kind and within the size limit."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            "文件“%(name)s”超过 %(mb)g MB，请压缩后再上传。",
            params={"name": upload.name, "mb": round(settings.UPLOAD_MAX_BYTES / 1024 / 1024, 1)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension, mime = (kind.extension, kind.mime) if kind else ("", "")
    if extension == "zip":
        # Office files are zip containers; only their entry names tell them apart
        extension, mime = _office_kind(upload)
    if extension not in allowed:
        raise ValidationError(
            "文件“%(name)s”不是允许的类型，只能上传：%(kinds)s。",
            params={"name": upload.name, "kinds": "、".join(LABELS[k] for k in sorted(allowed))},
            code="bad_type",
        )
    if extension in IMAGES:
        _verify_image(upload)
    return DetectedFile(extension=extension, mime=mime)


def _verify_image(upload) -> None:
    try:
        # a small file can declare a gigapixel image (a decompression bomb): Pillow warns
        # above MAX_IMAGE_PIXELS and raises above twice that; both are refused here
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "图片“%(name)s”像素过多（超过%(pixels)s万像素），请缩小后再上传。",
            params={"name": upload.name, "pixels": (Image.MAX_IMAGE_PIXELS or 0) // 10_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "图片“%(name)s”已损坏或无法识别，请重新拍摄或导出后上传。",
            params={"name": upload.name},
            code="bad_image",
        ) from None
    finally:
        upload.seek(0)


def _office_kind(upload) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "", ""
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "zip", "application/zip"
