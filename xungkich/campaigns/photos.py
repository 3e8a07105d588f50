"""Photo evidence: check, orient, shrink and strip an uploaded image (pure: bytes in, bytes out).

- at most ``MAX_UPLOAD_BYTES`` (8 MB) uploaded; at most ``MAX_PIXELS`` (40 megapixels) decoded, checked
  from the header before any pixel is decoded (decompression-bomb guard; Pillow's own bomb errors are
  caught as well);
- JPEG, PNG, WebP (and anything else Pillow reads) in; always a JPEG out;
- the EXIF orientation is applied first, then the image is scaled to at most ``MAX_SIDE`` pixels on its
  long side and re-encoded without any metadata: no EXIF (GPS position, camera, time), no ICC, no XMP.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


class PhotoError(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def clean_photo(data: bytes) -> CleanPhoto:
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(
            _("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            "photo_too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.format not in ALLOWED_FORMATS:
                raise PhotoError(_("This file is not a photo (JPEG, PNG or WebP)."), "photo_not_image")
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise PhotoError(
                    _("The photo has too many pixels (%(w)s × %(h)s); take it at a lower resolution.")
                    % {"w": width, "h": height},
                    "photo_too_many_pixels",
                )
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(
            _("The photo has too many pixels; take it at a lower resolution."), "photo_too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(_("This file is not a photo (JPEG, PNG or WebP)."), "photo_not_image") from exc
    if image.mode not in ("RGB", "L"):
        image = (
            image.convert("RGBA").convert("RGB")
            if "A" in image.mode or image.mode == "P"
            else image.convert("RGB")
        )
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image carries pixels only: nothing of the original's info dict (exif, icc, xmp) survives.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    out = io.BytesIO()
    bare.save(out, "JPEG", quality=85, optimize=True)
    return CleanPhoto(content=out.getvalue(), width=bare.width, height=bare.height)
