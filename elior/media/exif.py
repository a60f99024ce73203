"""Strip location and camera metadata from photos before they are kept, with no image library.

Each format is rewritten structurally, streaming from a seekable source to a sink with bounded buffers, so a 10 MB
photo never sits in memory whole:

- JPEG: drops APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), comments and every other APPn except JFIF (APP0), the ICC
  colour profile (APP2) and Adobe's colour-transform flag (APP14); keeps only the EXIF orientation, rewritten as a
  one-tag EXIF, because dropping it turns phone photos on their side; stops at EOI, dropping anything appended.
- PNG: keeps the critical chunks and an allow-list of rendering chunks (colour, transparency, animation); drops
  eXIf, tEXt, iTXt, zTXt, tIME and any other ancillary chunk; stops at IEND, dropping anything appended.
- WebP: drops the EXIF and XMP chunks, clears their VP8X flags and rewrites the RIFF size.
- HEIC: the metadata items (EXIF, and XMP stored as a `mime` item) named in the `meta` box are overwritten with zeros
  where `iloc` places them in the file or in `idat`. Limit: metadata carried elsewhere (vendor `uuid` boxes, items
  built by reference) is left as it is.

A file that does not parse as the format its first bytes claim raises BadImage (answered 415). The work is bounded by
the bytes read: the counts of `elior.media.limits` cap segments, chunks and boxes, the JPEG scan is searched for its
next marker by a regular expression (not byte by byte in Python), and every loop checks the upload's CPU budget; past
either, `limits.TooComplex` (422).
"""
from __future__ import annotations

import re
from typing import BinaryIO, Protocol

from elior.media import heif, limits
from elior.media.limits import Budget

COPY_CHUNK = 64 * 1024
IFD_ENTRIES = 1024  # IFD0 entries looked at for the orientation


class BadImage(Exception):
    """The bytes are not a well-formed file of the type their signature claims."""


class Sink(Protocol):
    def write(self, data: bytes) -> object: ...


def strip(kind: str, src: BinaryIO, dst: Sink) -> None:
    """Copy `src` to `dst` without metadata; `kind` is an `elior.media.sniff.Kind.name`.

    Raises BadImage (a malformed file) or limits.TooComplex (past a count or the upload's CPU budget).
    """
    budget = limits.current()
    with budget.running():
        if kind == "jpeg":
            _strip_jpeg(src, dst, budget)
        elif kind == "png":
            _strip_png(src, dst, budget)
        elif kind == "webp":
            _strip_webp(src, dst, budget)
        elif kind == "heic":
            try:
                ranges = heif.metadata_ranges(src, budget)
                src.seek(0)
                heif.copy_blanking(src, dst, ranges, budget)
            except (heif.HeifError, IndexError) as error:  # IndexError: a box shorter than its own fields
                raise BadImage(str(error) or "not a well-formed HEIF file") from None
        else:
            while data := src.read(COPY_CHUNK):  # a PDF is kept as sent
                dst.write(data)
                budget.check()


def _read(src: BinaryIO, size: int) -> bytes:
    data = src.read(size)
    if len(data) != size:
        raise BadImage("the file ends too early")
    return data


def _copy(src: BinaryIO, dst: Sink, size: int, budget: Budget) -> None:
    while size > 0:
        data = _read(src, min(size, COPY_CHUNK))
        dst.write(data)
        size -= len(data)
        budget.check()


# --- JPEG ---

def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == 0xE0:
        return True
    if marker == 0xE2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == 0xEE:
        return payload.startswith(b"Adobe")
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)


def exif_orientation(tiff: bytes) -> int | None:
    """Tag 0x0112 of IFD0 in a TIFF structure (the body of an EXIF segment), when it is a valid 1-8."""
    order = {b"II": "little", b"MM": "big"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return None
    ifd = int.from_bytes(tiff[4:8], order)  # type: ignore[arg-type]
    if ifd + 2 > len(tiff):
        return None
    # IFD0 is sorted by tag and 0x0112 comes early: looking past the first entries only costs time.
    for k in range(min(int.from_bytes(tiff[ifd:ifd + 2], order), IFD_ENTRIES)):  # type: ignore[arg-type]
        entry = tiff[ifd + 2 + 12 * k:ifd + 14 + 12 * k]
        if len(entry) < 12:
            break
        if int.from_bytes(entry[:2], order) == 0x0112 and int.from_bytes(entry[2:4], order) == 3:  # type: ignore
            value = int.from_bytes(entry[8:10], order)  # type: ignore[arg-type]
            return value if 1 <= value <= 8 else None
    return None


def orientation_only_exif(orientation: int) -> bytes:
    """An EXIF APP1 payload holding one tag, the orientation: nothing about where, when or with what."""
    tiff = (b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x01" + b"\x01\x12\x00\x03\x00\x00\x00\x01"
            + orientation.to_bytes(2, "big") + b"\x00\x00" + b"\x00\x00\x00\x00")
    return b"Exif\x00\x00" + tiff


def _jpeg_marker(src: BinaryIO, fills: int) -> tuple[int, int]:
    """The next marker, and the count of fill bytes seen so far in the file."""
    if _read(src, 1) != b"\xff":
        raise BadImage("a JPEG segment does not start with a marker")
    byte = _read(src, 1)
    while byte == b"\xff":  # fill bytes
        fills += 1
        limits.at_most(fills, limits.MAX_FILL_BYTES, "JPEG fill bytes")
        byte = _read(src, 1)
    return byte[0], fills


def _strip_jpeg(src: BinaryIO, dst: Sink, budget: Budget) -> None:
    if _read(src, 2) != b"\xff\xd8":
        raise BadImage("not a JPEG")
    dst.write(b"\xff\xd8")
    marker: int | None = None
    segments = fills = 0
    while True:
        segments += 1
        limits.at_most(segments, limits.MAX_SEGMENTS, "JPEG segments")
        budget.check()
        if marker is None:
            marker, fills = _jpeg_marker(src, fills)
        if marker == 0xD9:
            dst.write(b"\xff\xd9")
            return  # EOI: whatever follows (appended pages, trailers, other images) is not kept
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            dst.write(bytes((0xFF, marker)))
            marker = None
            continue
        length = int.from_bytes(_read(src, 2), "big")
        if length < 2:
            raise BadImage("a JPEG segment has an impossible length")
        payload = _read(src, length - 2)
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            orientation = exif_orientation(payload[6:])
            if orientation is not None and orientation != 1:
                kept = orientation_only_exif(orientation)
                dst.write(b"\xff\xe1" + (len(kept) + 2).to_bytes(2, "big") + kept)
        elif _keep_jpeg_segment(marker, payload):
            dst.write(bytes((0xFF, marker)) + length.to_bytes(2, "big") + payload)
        marker = _copy_scan(src, dst, budget) if marker == 0xDA else None


# In entropy-coded data 0xFF is followed by 0x00 (a stuffed byte), a restart marker 0xD0-0xD7, or another 0xFF (fill):
# all still data. Anything else after a 0xFF is the next real marker.
_REAL_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _copy_scan(src: BinaryIO, dst: Sink, budget: Budget) -> int:
    """Copy entropy-coded data after SOS up to the next real marker, and return that marker."""
    while True:
        budget.check()
        start = src.tell()
        block = src.read(COPY_CHUNK)
        if not block:
            raise BadImage("the JPEG ends inside its image data")
        found = _REAL_MARKER.search(block)
        if found is not None:
            dst.write(block[:found.start()])
            src.seek(start + found.start() + 2)
            return block[found.start() + 1]
        cut = len(block) - 1 if block.endswith(b"\xff") else len(block)  # that 0xFF is read again with what follows
        if cut < len(block) and len(block) < COPY_CHUNK:
            raise BadImage("the JPEG ends inside its image data")
        dst.write(block[:cut])
        src.seek(start + cut)


# --- PNG ---

PNG_KEPT = frozenset({b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"cLLI", b"bKGD",
                      b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT"})


def _strip_png(src: BinaryIO, dst: Sink, budget: Budget) -> None:
    dst.write(_read(src, 8))
    first = True
    chunks = 0
    while True:
        chunks += 1
        limits.at_most(chunks, limits.MAX_CHUNKS, "PNG chunks")
        budget.check()
        header = _read(src, 8)
        length, chunk_type = int.from_bytes(header[:4], "big"), header[4:8]
        if length > 0x7FFFFFFF or not chunk_type.isalpha() or (first and chunk_type != b"IHDR"):
            raise BadImage("not a well-formed PNG")
        first = False
        critical = chunk_type[:1].isupper()
        if critical or chunk_type in PNG_KEPT:
            dst.write(header)
            _copy(src, dst, length + 4, budget)  # data and CRC
        else:
            _read_past(src, length + 4)
        if chunk_type == b"IEND":
            return


def _read_past(src: BinaryIO, size: int) -> None:
    position = src.tell()
    end = src.seek(0, 2)
    if position + size > end:
        raise BadImage("the file ends too early")
    src.seek(position + size)


# --- WebP ---

def _strip_webp(src: BinaryIO, dst: Sink, budget: Budget) -> None:
    header = _read(src, 12)
    file_end = src.seek(0, 2)
    riff_end = min(8 + int.from_bytes(header[4:8], "little"), file_end)
    chunks: list[tuple[bytes, int, int]] = []  # fourcc, offset of data, size of data
    position = 12
    while position + 8 <= riff_end:
        limits.at_most(len(chunks) + 1, limits.MAX_CHUNKS, "WebP chunks")
        budget.check()
        src.seek(position)
        chunk_header = _read(src, 8)
        fourcc, size = chunk_header[:4], int.from_bytes(chunk_header[4:], "little")
        if position + 8 + size > file_end:
            raise BadImage("a WebP chunk runs past the end of the file")
        chunks.append((fourcc, position + 8, size))
        position += 8 + size + (size & 1)
    kept = [c for c in chunks if c[0] not in (b"EXIF", b"XMP ")]
    if not kept:
        raise BadImage("a WebP without image data")
    riff_size = 4 + sum(8 + size + (size & 1) for _, _, size in kept)
    if riff_size > 0xFFFFFFFF:
        raise BadImage("a WebP larger than RIFF can describe")
    dst.write(b"RIFF" + riff_size.to_bytes(4, "little") + b"WEBP")
    for fourcc, offset, size in kept:
        dst.write(fourcc + size.to_bytes(4, "little"))
        src.seek(offset)
        if fourcc == b"VP8X" and size >= 1:
            dst.write(bytes((_read(src, 1)[0] & ~0x0C,)))  # clear the EXIF (0x08) and XMP (0x04) flags
            _copy(src, dst, size - 1, budget)
        else:
            _copy(src, dst, size, budget)
        if size & 1:
            dst.write(b"\x00")  # the padding byte, written even where a writer forgot it at the file's end
