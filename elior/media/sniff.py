"""A file's type from its first bytes, never from its name or the Content-Type a client claims.

Only the types the studio keeps are recognised; everything else is None (the upload answers 415). A file is judged by
where it starts: an HTML page renamed `.png` starts with `<` and is refused, while a real PNG that carries HTML inside
it is a PNG, and is kept only after `elior.media.exif` has rewritten it chunk by chunk (dropping text chunks and
anything after IEND) and served as `image/png` with `nosniff` and a sandbox CSP, so no browser renders it as a page.
Only the first HEAD_BYTES bytes are ever looked at, so the work is the same for any file.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the key elior.media.exif dispatches on
    content_type: str
    extension: str
    is_image: bool


JPEG = Kind("jpeg", "image/jpeg", "jpg", True)
PNG = Kind("png", "image/png", "png", True)
WEBP = Kind("webp", "image/webp", "webp", True)
HEIC = Kind("heic", "image/heic", "heic", True)
PDF = Kind("pdf", "application/pdf", "pdf", False)

PHOTO_KINDS = frozenset({JPEG, PNG, WEBP, HEIC})
ALLOWED = {
    "progress_photo": PHOTO_KINDS,
    "meal_photo": PHOTO_KINDS,
    "avatar": PHOTO_KINDS,
    "document": frozenset({PDF}),
}
BY_CONTENT_TYPE = {kind.content_type: kind for kind in (JPEG, PNG, WEBP, HEIC, PDF)}
HEAD_BYTES = 64  # enough for every signature below, including an ISO-BMFF ftyp box with a few brands

# HEIF brands that mean an HEVC-coded image (AVIF's `avif`/`avis` and others are not accepted).
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_GENERIC = {b"mif1", b"msf1"}


def sniff(head: bytes) -> Kind | None:
    """The kind of a file that starts with `head` (its first HEAD_BYTES bytes, or all of a shorter file)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 16 and head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:15] == b"VP8":
        return WEBP
    if _is_heic(head):
        return HEIC
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _is_heic(head: bytes) -> bool:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(head[:4], "big")
    if box_size < 16:
        return False
    major = head[8:12]
    compatible = {head[i:i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _HEIC_BRANDS:
        return True
    return major in _HEIF_GENERIC and bool(compatible & _HEIC_BRANDS)
