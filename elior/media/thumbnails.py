"""Thumbnails of photos: 320 px on the longest side, JPEG, made with Pillow from the stored (sniffed, stripped) bytes.

This is the one place in elior/media that decodes an image (everything else walks a file's structure without a
decoder), so it is fenced in:

- it only ever sees bytes that `sniff` typed and `exif.strip` rewrote (as stored, or kept on their way to disk);
  Pillow is told which formats it may try (`formats=`), so a file cannot talk it into another decoder;
- the decompression-bomb limit is set (`Image.MAX_IMAGE_PIXELS`, past which Pillow raises) and checked from the
  header before any pixel is decoded, against the same number (Pillow itself only warns between 1x and 2x of it);
- JPEGs are decoded at a reduced scale (`draft`), so a 24-megapixel photo costs what a 1.5-megapixel one does;
- at most DECODERS thumbnails are made at once, so a burst of uploads cannot hold many full-size bitmaps in memory;
- whatever Pillow raises on a malformed file becomes `NoThumbnail`: a photo without a thumbnail is served full size,
  never refused, since the upload itself was already judged well-formed by `exif`.

HEIC is not decoded (Pillow needs a plugin and libheif for it, one more C decoder of untrusted input): HEIC photos
have no thumbnail and are served full size.
"""
from __future__ import annotations

import io
import threading
from typing import BinaryIO

from PIL import Image, ImageOps

MAX_SIDE = 320
QUALITY = 78
MAX_PIXELS = 40_000_000  # 8000 x 5000: above any phone's JPEG; a 40 MP RGBA bitmap is 160 MB
DECODERS = 2
FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}  # sniff's names -> the only Pillow decoder allowed for each
CONTENT_TYPE = "image/jpeg"

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own decompression-bomb limit: DecompressionBombError past 2x of it
_decoding = threading.BoundedSemaphore(DECODERS)


class NoThumbnail(Exception):
    """This photo gets no thumbnail (not decodable, too large, malformed): it is served full size."""


def can_make(kind_name: str) -> bool:
    return kind_name in FORMATS


def make(data: bytes | BinaryIO, kind_name: str) -> bytes:
    """Blocking (run it in a thread): a JPEG at most MAX_SIDE px on its longest side, upright (EXIF orientation), of
    a stripped photo's bytes, or of a file open on them (a plain stored photo: read as the decoder goes, rather than
    10 MB brought into memory first)."""
    if kind_name not in FORMATS:
        raise NoThumbnail(f"no thumbnail for {kind_name}")
    with _decoding:
        try:
            return _make(data, FORMATS[kind_name])
        except NoThumbnail:
            raise
        except Exception as error:  # Pillow's errors on a malformed file are many (OSError, ValueError, SyntaxError...)
            raise NoThumbnail(f"{type(error).__name__}: {error}") from None


def _make(data: bytes | BinaryIO, pillow_format: str) -> bytes:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with Image.open(source, formats=(pillow_format,)) as image:
        width, height = image.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            raise NoThumbnail(f"{width} x {height} pixels is past the limit of {MAX_PIXELS}")
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode at 1/2, 1/4 or 1/8 scale when that is enough
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))  # JPEG has no alpha: transparent becomes white
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        elif upright.mode != "RGB":
            upright = upright.convert("RGB")
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=QUALITY, optimize=True)  # no EXIF written: the pixels are upright already
        return out.getvalue()
