"""Checking uploaded files by their content, never by their names, for every app.

Callers say which kinds they accept; the check returns what the file really is, and the
file to keep, or raises a ValidationError that tells the user in Chinese what is wrong and
what to do. Phone photos are made fit to keep here too: HEIC is converted to JPEG, and a
photo too large (in bytes or pixels) is shrunk instead of refused. Thumbnails of kept
photos are made by `thumbnail` (cached beside the media, served by the apps' access-checked
views).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import filetype
import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

LABELS = {
    "jpg": "JPEG 图片",
    "png": "PNG 图片",
    "webp": "WebP 图片",
    "heic": "HEIC 图片（手机照片）",
    "pdf": "PDF",
    "docx": "Word（docx）",
    "doc": "Word（doc）",
    "xlsx": "Excel（xlsx）",
    "xls": "Excel（xls）",
}
IMAGES = frozenset({"jpg", "png", "webp", "heic"})
# kept as they are when small enough; HEIC (which browsers cannot show) always becomes JPEG
WEB_IMAGES = frozenset({"jpg", "png", "webp"})
# the longest side of a kept photo; larger ones are shrunk (a phone's 4000 px is not needed
# to see a blocked fire exit, and costs 8 MB on a phone page)
PHOTO_MAX_EDGE = 2560
# the sizes the apps' attachment views serve (?size=...): the longest side in pixels
THUMBNAIL_SIZES = {"thumb": 320}
PHOTOS_AND_PDF = IMAGES | {"pdf"}
EVIDENCE = PHOTOS_AND_PDF | {"docx", "doc", "xlsx", "xls"}
EXCEL = frozenset({"xlsx"})


@dataclass(frozen=True)
class DetectedFile:
    extension: str
    mime: str
    # the file to keep: the upload itself, or a JPEG made from it (HEIC, or too large)
    file: Any = None


def _too_large(upload, limit: int) -> ValidationError:
    return ValidationError(
        "文件“%(name)s”超过 %(mb)g MB，请压缩后再上传。",
        params={"name": upload.name, "mb": round(limit / 1024 / 1024, 1)},
        code="too_large",
    )


def check_upload(upload, *, allowed: frozenset[str]) -> DetectedFile:
    """What `upload` really is, if it is of an `allowed` kind and within the size limit,
    with the file to keep (`.file`): photos are converted or shrunk as needed, so a photo
    is allowed up to PHOTO_UPLOAD_MAX_BYTES, anything else up to UPLOAD_MAX_BYTES."""
    if upload.size > max(settings.UPLOAD_MAX_BYTES, settings.PHOTO_UPLOAD_MAX_BYTES):
        raise _too_large(upload, max(settings.UPLOAD_MAX_BYTES, settings.PHOTO_UPLOAD_MAX_BYTES))
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
    if extension not in IMAGES:
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise _too_large(upload, settings.UPLOAD_MAX_BYTES)
        return DetectedFile(extension=extension, mime=mime, file=upload)
    size = _verify_image(upload)
    small_enough = upload.size <= settings.UPLOAD_MAX_BYTES and max(size) <= PHOTO_MAX_EDGE
    if extension in WEB_IMAGES and small_enough:
        return DetectedFile(extension=extension, mime=mime, file=upload)
    jpeg = _as_jpeg(upload)
    if (jpeg.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise _too_large(upload, settings.UPLOAD_MAX_BYTES)
    return DetectedFile(extension="jpg", mime="image/jpeg", file=jpeg)


def _as_jpeg(upload) -> SimpleUploadedFile:
    """The photo as a JPEG no larger than PHOTO_MAX_EDGE, upright, its EXIF (time, place)
    kept, named like the upload with .jpg."""
    upload.seek(0)
    with Image.open(upload) as image:
        exif = image.getexif()
        picture = ImageOps.exif_transpose(image)
        picture.thumbnail((PHOTO_MAX_EDGE, PHOTO_MAX_EDGE))
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        # the picture is upright now: its orientation tag would turn it again
        exif.pop(0x0112, None)
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=85, optimize=True, exif=exif.tobytes())
    upload.seek(0)
    name = f"{PurePath(upload.name or 'photo').stem[:190]}.jpg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def thumbnail(file, *, key: str, size: str) -> bytes | None:
    """A JPEG of the photo `file` no larger than THUMBNAIL_SIZES[size], made once and kept
    in the default storage under thumbs/ (`key` names the photo, e.g. "hazards-12");
    None when it cannot be read as a picture."""
    edge = THUMBNAIL_SIZES[size]
    name = f"thumbs/{size}/{key}.jpg"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as kept:
            return kept.read()
    try:
        with file.open("rb") as source, Image.open(source) as image:
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((edge, edge))
            if picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=80)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    made = buffer.getvalue()
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(made))
    return made


def _verify_image(upload) -> tuple[int, int]:
    """The picture's size, if it is a readable picture."""
    try:
        # a small file can declare a gigapixel image (a decompression bomb): Pillow warns
        # above MAX_IMAGE_PIXELS and raises above twice that; both are refused here
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                size = image.size
                image.verify()
        return size
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
