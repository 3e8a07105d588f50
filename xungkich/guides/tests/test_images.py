"""Uploaded screenshots: resized, upright, EXIF gone, bad files refused. No database."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from xungkich.guides.images import MAX_SIDE, ImageRejected, process_upload


def jpeg_with_exif(width: int, height: int, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (16.0, 4.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_large_photo_is_resized_and_stripped_of_exif():
    raw = jpeg_with_exif(3000, 1500)
    assert b"PhoneMaker" in raw
    result = process_upload(raw)
    assert b"PhoneMaker" not in result.data and b"Exif" not in result.data
    image = Image.open(io.BytesIO(result.data))
    assert image.format == "JPEG"
    assert (image.width, image.height) == (result.width, result.height) == (MAX_SIDE, MAX_SIDE // 2)
    assert not image.getexif()


def test_orientation_is_applied_before_stripping():
    result = process_upload(jpeg_with_exif(400, 200, orientation=6))  # rotated 90°
    assert (result.width, result.height) == (200, 400)


def test_transparent_png_gets_a_white_background():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    result = process_upload(out.getvalue())
    pixel = Image.open(io.BytesIO(result.data)).convert("RGB").getpixel((5, 5))
    assert isinstance(pixel, tuple) and min(pixel) > 240


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not an image at all", "image_unreadable"),
        (b"%PDF-1.7 fake", "image_unreadable"),
        (b"x" * (8 * 1024 * 1024 + 1), "image_too_large"),
    ],
)
def test_bad_files_are_refused(raw, code):
    with pytest.raises(ImageRejected) as error:
        process_upload(raw)
    assert error.value.code == code


def test_other_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="BMP")
    with pytest.raises(ImageRejected) as error:
        process_upload(out.getvalue())
    assert error.value.code == "image_format"
