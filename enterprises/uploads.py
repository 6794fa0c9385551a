"""Upload checks: the type is read from the file's content, never from its name."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

DOCUMENT_TYPES = {"pdf", "jpg", "png", "docx", "xlsx", "doc", "xls"}
EXCEL_TYPES = {"xlsx"}


def validate_upload(upload, *, allowed: set[str] = DOCUMENT_TYPES) -> str:
    """Return the detected extension; raise ValidationError (in Chinese) when the file is
    too large or of a type not allowed."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES / 1024 / 1024
        raise ValidationError(f"文件“{upload.name}”超过{limit:g} MB，请压缩后再上传。")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = kind.extension if kind else ""
    if extension == "zip":
        # Office files are zip containers; filetype tells them apart only by entry names
        extension = _office_kind(upload)
    if extension not in allowed:
        names = "、".join(sorted(allowed))
        raise ValidationError(f"文件“{upload.name}”的类型不被接受，只能上传：{names}。")
    return extension


def _office_kind(upload) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return ""
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"
