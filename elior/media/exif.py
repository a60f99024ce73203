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

A file that does not parse as the format its first bytes claim raises BadImage (answered 415).
"""
from __future__ import annotations

import shutil
from typing import BinaryIO, Protocol

from elior.media import heif

COPY_CHUNK = 64 * 1024


class BadImage(Exception):
    """The bytes are not a well-formed file of the type their signature claims."""


class Sink(Protocol):
    def write(self, data: bytes) -> object: ...


def strip(kind: str, src: BinaryIO, dst: Sink) -> None:
    """Copy `src` to `dst` without metadata; `kind` is an `elior.media.sniff.Kind.name`."""
    if kind == "jpeg":
        _strip_jpeg(src, dst)
    elif kind == "png":
        _strip_png(src, dst)
    elif kind == "webp":
        _strip_webp(src, dst)
    elif kind == "heic":
        try:
            ranges = heif.metadata_ranges(src)
            src.seek(0)
            heif.copy_blanking(src, dst, ranges)
        except (heif.HeifError, IndexError) as error:  # IndexError: a box shorter than its own fields
            raise BadImage(str(error) or "not a well-formed HEIF file") from None
    else:
        shutil.copyfileobj(src, dst, COPY_CHUNK)  # type: ignore[misc]


def _read(src: BinaryIO, size: int) -> bytes:
    data = src.read(size)
    if len(data) != size:
        raise BadImage("the file ends too early")
    return data


def _copy(src: BinaryIO, dst: Sink, size: int) -> None:
    while size > 0:
        data = _read(src, min(size, COPY_CHUNK))
        dst.write(data)
        size -= len(data)


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
    for k in range(int.from_bytes(tiff[ifd:ifd + 2], order)):  # type: ignore[arg-type]
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


def _jpeg_marker(src: BinaryIO) -> int:
    if _read(src, 1) != b"\xff":
        raise BadImage("a JPEG segment does not start with a marker")
    byte = _read(src, 1)
    while byte == b"\xff":  # fill bytes
        byte = _read(src, 1)
    return byte[0]


def _strip_jpeg(src: BinaryIO, dst: Sink) -> None:
    if _read(src, 2) != b"\xff\xd8":
        raise BadImage("not a JPEG")
    dst.write(b"\xff\xd8")
    marker: int | None = None
    while True:
        if marker is None:
            marker = _jpeg_marker(src)
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
        marker = _copy_scan(src, dst) if marker == 0xDA else None


def _copy_scan(src: BinaryIO, dst: Sink) -> int:
    """Copy entropy-coded data after SOS up to the next real marker, and return that marker."""
    while True:
        start = src.tell()
        block = src.read(COPY_CHUNK)
        if not block:
            raise BadImage("the JPEG ends inside its image data")
        i = 0
        while True:
            j = block.find(b"\xff", i)
            if j < 0 or j == len(block) - 1:
                if j >= 0 and len(block) < COPY_CHUNK:
                    raise BadImage("the JPEG ends inside its image data")
                cut = len(block) if j < 0 else j  # a 0xFF at the block's end is looked at again with what follows
                dst.write(block[:cut])
                src.seek(start + cut)
                break
            following = block[j + 1]
            if following == 0xFF:
                i = j + 1
            elif following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker: still data
                i = j + 2
            else:
                dst.write(block[:j])
                src.seek(start + j + 2)
                return following


# --- PNG ---

PNG_KEPT = frozenset({b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"cLLI", b"bKGD",
                      b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT"})


def _strip_png(src: BinaryIO, dst: Sink) -> None:
    dst.write(_read(src, 8))
    first = True
    while True:
        header = _read(src, 8)
        length, chunk_type = int.from_bytes(header[:4], "big"), header[4:8]
        if length > 0x7FFFFFFF or not chunk_type.isalpha() or (first and chunk_type != b"IHDR"):
            raise BadImage("not a well-formed PNG")
        first = False
        critical = chunk_type[:1].isupper()
        if critical or chunk_type in PNG_KEPT:
            dst.write(header)
            _copy(src, dst, length + 4)  # data and CRC
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

def _strip_webp(src: BinaryIO, dst: Sink) -> None:
    header = _read(src, 12)
    file_end = src.seek(0, 2)
    riff_end = min(8 + int.from_bytes(header[4:8], "little"), file_end)
    chunks: list[tuple[bytes, int, int]] = []  # fourcc, offset of data, size of data
    position = 12
    while position + 8 <= riff_end:
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
    dst.write(b"RIFF" + riff_size.to_bytes(4, "little") + b"WEBP")
    for fourcc, offset, size in kept:
        dst.write(fourcc + size.to_bytes(4, "little"))
        src.seek(offset)
        if fourcc == b"VP8X" and size >= 1:
            dst.write(bytes((_read(src, 1)[0] & ~0x0C,)))  # clear the EXIF (0x08) and XMP (0x04) flags
            _copy(src, dst, size - 1)
        else:
            _copy(src, dst, size)
        if size & 1:
            dst.write(b"\x00")  # the padding byte, written even where a writer forgot it at the file's end
