"""The photo cleaner: orientation first, shrink, no EXIF out, clear errors for bad files."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from xungkich.campaigns import photos
from xungkich.campaigns.photos import PhotoError, clean_photo
from xungkich.campaigns.tests.conftest import jpeg_with_gps


def test_the_source_really_carries_gps():
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(0x8825)


def test_gps_and_every_exif_tag_are_removed():
    cleaned = clean_photo(jpeg_with_gps())
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"Exif" not in cleaned.content[:200]


def test_orientation_is_applied_before_stripping():
    # Orientation 6: the camera was turned; the stored 400×300 pixels show a 300×400 picture.
    cleaned = clean_photo(jpeg_with_gps((400, 300), orientation=6))
    assert (cleaned.width, cleaned.height) == (300, 400)


def test_large_photos_are_scaled_down():
    cleaned = clean_photo(jpeg_with_gps((3200, 1600)))
    assert (cleaned.width, cleaned.height) == (photos.MAX_SIDE, photos.MAX_SIDE // 2)


def test_png_with_transparency_becomes_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, "PNG")
    assert Image.open(io.BytesIO(clean_photo(out.getvalue()).content)).mode == "RGB"


def test_a_text_file_is_not_a_photo():
    with pytest.raises(PhotoError) as info:
        clean_photo(b"%PDF-1.4 not an image")
    assert info.value.code == "photo_not_image"
    assert "JPEG" in info.value.message


def test_a_gif_is_refused():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(PhotoError) as info:
        clean_photo(out.getvalue())
    assert info.value.code == "photo_not_image"


def test_oversized_files_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(photos, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(PhotoError) as info:
        clean_photo(jpeg_with_gps())
    assert info.value.code == "photo_too_large"


def test_decompression_bomb_is_refused_from_the_header():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(PhotoError) as info:
        clean_photo(out.getvalue())
    assert info.value.code == "photo_too_many_pixels"


def test_truncated_jpeg_is_not_a_photo():
    with pytest.raises(PhotoError) as info:
        clean_photo(jpeg_with_gps()[:300])
    assert info.value.code == "photo_not_image"
