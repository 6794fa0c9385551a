"""Checking uploaded photos and documents by their content, not their names."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENT_TYPES = {"application/pdf"}
ALLOWED_TYPES = IMAGE_TYPES | DOCUMENT_TYPES


def check_upload(upload) -> str:
    """Return the file's real MIME type, or raise ValidationError saying what is wrong."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            "文件“%(name)s”超过 %(mb).1f MB，请压缩后再上传。",
            params={"name": upload.name, "mb": settings.UPLOAD_MAX_BYTES / 1024 / 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            "文件“%(name)s”不是允许的类型：只能上传 JPEG、PNG、WebP 图片或 PDF 文件。",
            params={"name": upload.name},
            code="bad_type",
        )
    if mime in IMAGE_TYPES:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                "图片“%(name)s”已损坏或无法识别，请重新拍摄或导出后上传。",
                params={"name": upload.name},
                code="bad_image",
            ) from None
        finally:
            upload.seek(0)
    return mime
