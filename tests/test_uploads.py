"""The one upload check every app uses: by content, within the size limit."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safetyportal.core.uploads import EVIDENCE, EXCEL, PHOTOS_AND_PDF, check_upload


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def office_bytes(entry: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(entry, "<x/>")
    return buffer.getvalue()


def test_a_real_png_is_accepted_and_reported_by_content_whatever_its_name():
    detected = check_upload(SimpleUploadedFile("照片.pdf", png_bytes()), allowed=PHOTOS_AND_PDF)
    assert (detected.extension, detected.mime) == ("png", "image/png")


def test_a_pdf_is_accepted():
    upload = SimpleUploadedFile("报告.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF")
    assert check_upload(upload, allowed=PHOTOS_AND_PDF).extension == "pdf"


def test_a_script_renamed_to_jpg_is_refused_with_the_allowed_kinds_named():
    upload = SimpleUploadedFile("现场.jpg", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(ValidationError) as error:
        check_upload(upload, allowed=PHOTOS_AND_PDF)
    message = error.value.messages[0]
    assert "现场.jpg" in message and "不是允许的类型" in message and "PDF" in message


def test_a_truncated_image_is_refused_as_damaged():
    upload = SimpleUploadedFile("坏图.png", png_bytes()[:40])
    with pytest.raises(ValidationError) as error:
        check_upload(upload, allowed=PHOTOS_AND_PDF)
    assert "已损坏或无法识别" in error.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("大文件.pdf", b"%PDF-1.7\n" + b"0" * 2048)
    with pytest.raises(ValidationError) as error:
        check_upload(upload, allowed=PHOTOS_AND_PDF)
    assert "超过" in error.value.messages[0]


def test_office_files_are_told_apart_by_their_entries():
    docx = SimpleUploadedFile("制度.docx", office_bytes("word/document.xml"))
    xlsx = SimpleUploadedFile("名录.xlsx", office_bytes("xl/workbook.xml"))
    assert check_upload(docx, allowed=EVIDENCE).extension == "docx"
    assert check_upload(xlsx, allowed=EXCEL).extension == "xlsx"
    with pytest.raises(ValidationError):
        check_upload(
            SimpleUploadedFile("名录.xlsx", office_bytes("word/document.xml")), allowed=EXCEL
        )


def test_the_file_can_be_read_again_after_the_check():
    upload = SimpleUploadedFile("照片.png", png_bytes())
    check_upload(upload, allowed=PHOTOS_AND_PDF)
    assert upload.read() == png_bytes()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` x `height` pixels (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [12_000, 40_000])  # over MAX_IMAGE_PIXELS, and over twice it
def test_an_image_declaring_too_many_pixels_is_refused_not_a_500(side):
    upload = SimpleUploadedFile("炸弹.png", _png_declaring(side, side), content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        check_upload(upload, allowed=PHOTOS_AND_PDF)
    assert refused.value.code == "too_many_pixels"


def jpeg_upload(name: str, size: tuple[int, int], *, noise: bool = False) -> SimpleUploadedFile:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, "red")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_heic_photo_from_a_phone_is_accepted_and_kept_as_jpeg():
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, format="HEIF")
    detected = check_upload(
        SimpleUploadedFile("IMG_0001.HEIC", buffer.getvalue()), allowed=PHOTOS_AND_PDF
    )
    assert (detected.extension, detected.mime) == ("jpg", "image/jpeg")
    assert detected.file.name == "IMG_0001.jpg"
    with Image.open(detected.file) as kept:
        assert (kept.format, kept.size) == ("JPEG", (64, 48))


def test_a_photo_over_the_size_limit_is_shrunk_instead_of_refused(settings):
    upload = jpeg_upload("现场.jpg", (1600, 1200), noise=True)
    settings.UPLOAD_MAX_BYTES = upload.size - 1
    detected = check_upload(upload, allowed=PHOTOS_AND_PDF)
    assert detected.file is not upload and detected.file.size < upload.size
    assert detected.extension == "jpg"


def test_a_photo_larger_than_the_longest_side_kept_is_shrunk_to_it():
    from safetyportal.core.uploads import PHOTO_MAX_EDGE

    detected = check_upload(jpeg_upload("大图.jpg", (4000, 3000)), allowed=PHOTOS_AND_PDF)
    with Image.open(detected.file) as kept:
        assert max(kept.size) == PHOTO_MAX_EDGE


def test_a_small_photo_is_kept_as_it_is():
    upload = jpeg_upload("小图.jpg", (800, 600))
    assert check_upload(upload, allowed=PHOTOS_AND_PDF).file is upload


def test_a_photo_over_the_photo_limit_is_refused(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1024
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        check_upload(jpeg_upload("巨图.jpg", (400, 300), noise=True), allowed=PHOTOS_AND_PDF)
    assert "超过" in error.value.messages[0]


def test_a_thumbnail_is_small_and_made_once(settings, tmp_path):
    from django.core.files.base import ContentFile

    from safetyportal.core.uploads import thumbnail

    settings.MEDIA_ROOT = tmp_path
    photo = ContentFile(jpeg_upload("x.jpg", (2000, 1500), noise=True).read(), name="x.jpg")
    small = thumbnail(photo, key="test-1", size="thumb")
    with Image.open(io.BytesIO(small)) as image:
        assert max(image.size) == 320
    assert (tmp_path / "thumbs" / "thumb" / "test-1.jpg").exists()
    kept = (tmp_path / "thumbs" / "thumb" / "test-1.jpg").read_bytes()
    assert small == kept
    photo.file = None  # the kept thumbnail answers without reading the photo again
    assert thumbnail(photo, key="test-1", size="thumb") == kept
