"""Screenshots for guide steps: bytes in, a resized JPEG without metadata out (Pillow). No database.

Editors upload screenshots from phones; the citizen pages are read on slow connections. Every
upload is decoded, turned upright (EXIF orientation), reduced to at most ``MAX_SIDE`` pixels on
its long side and re-encoded from the pixels alone, so EXIF (GPS position, device, owner), XMP,
ICC and comments never reach the database or the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1000
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
JPEG_QUALITY = 78


class ImageRejected(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    width: int
    height: int


def process_upload(raw: bytes) -> ProcessedImage:
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImageRejected("image_too_large", "The file is larger than 8 MB.")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected("image_format", "Only JPEG, PNG, WebP and GIF images are accepted.")
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected("image_too_large", "The image has too many pixels.")
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.seek(0)
            upright = ImageOps.exif_transpose(image)
            if upright.mode in ("RGBA", "LA", "P"):
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                upright = flat
            else:
                upright = upright.convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            # A new image from the pixels only: nothing of the original's metadata comes along.
            clean = Image.new("RGB", upright.size)
            clean.paste(upright)
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ImageRejected("image_unreadable", "The file is not an image that can be read.") from error
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ProcessedImage(data=out.getvalue(), width=clean.width, height=clean.height)
