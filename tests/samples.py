"""Real files built byte by byte for the file tests and the benchmark: photos carrying EXIF with GPS, a PDF, HTML
dressed as a PNG, a PNG/HTML polyglot. No image library: each format is written from its specification.
"""
from __future__ import annotations

import struct
import zlib

SECRET_MAKE = b"SpyCam-52.5200N-13.4050E"  # a camera make that would betray where the photo was taken
SECRET_TEXT = b"taken at 12 Quiet Street"
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def tiff_with_gps(orientation: int = 6) -> bytes:
    """A big-endian TIFF/EXIF structure: IFD0 (Make, Orientation, GPS pointer) and a GPS IFD (lat/long)."""
    make = SECRET_MAKE + b"\x00"
    ifd0_at, ifd0_entries = 8, 3
    gps_at = ifd0_at + 2 + 12 * ifd0_entries + 4
    gps_entries = 4
    data_at = gps_at + 2 + 12 * gps_entries + 4
    make_at, lat_at = data_at, data_at + len(make)
    lon_at = lat_at + 24

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\x00")

    ifd0 = struct.pack(">H", ifd0_entries) + entry(0x010F, 2, len(make), struct.pack(">I", make_at)) \
        + entry(0x0112, 3, 1, struct.pack(">H", orientation)) + entry(0x8825, 4, 1, struct.pack(">I", gps_at)) \
        + b"\x00\x00\x00\x00"
    gps = struct.pack(">H", gps_entries) + entry(1, 2, 2, b"N\x00") + entry(2, 5, 3, struct.pack(">I", lat_at)) \
        + entry(3, 2, 2, b"E\x00") + entry(4, 5, 3, struct.pack(">I", lon_at)) + b"\x00\x00\x00\x00"
    rationals = struct.pack(">6I", 52, 1, 31, 1, 12, 1) + struct.pack(">6I", 13, 1, 24, 1, 18, 1)
    return b"MM\x00\x2a" + struct.pack(">I", ifd0_at) + ifd0 + gps + make + rationals


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(exif: bool = True, trailer: bytes = b"", blocks: int = 1) -> bytes:
    """A baseline greyscale JPEG, 8*blocks x 8 pixels of mid grey, with EXIF (GPS), XMP, IPTC and a comment."""
    quant = _segment(0xDB, b"\x00" + bytes([1] * 64))
    frame = _segment(0xC0, b"\x08" + struct.pack(">HH", 8, 8 * blocks) + b"\x01" + b"\x01\x11\x00")
    # One code of length 1 in each table: DC category 0 and AC end-of-block, so every block is the bits "00".
    dc = _segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    ac = _segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    scan = _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)
    data = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    data = data.replace(b"\xff", b"\xff\x00")
    meta = b""
    if exif:
        meta = _segment(0xE1, b"Exif\x00\x00" + tiff_with_gps()) \
            + _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + SECRET_TEXT + b"</x:xmpmeta>") \
            + _segment(0xED, b"Photoshop 3.0\x00" + SECRET_TEXT) + _segment(0xFE, SECRET_TEXT)
    jfif = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    return b"\xff\xd8" + jfif + meta + quant + frame + dc + ac + scan + data + b"\xff\xd9" + trailer


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int = 4, height: int = 4, exif: bool = True, text: bytes = SECRET_TEXT, trailer: bytes = b"",
        noise: bytes = b"") -> bytes:
    """An RGB PNG; `noise` fills the pixels (repeated) so a file can be made large and incompressible."""
    row_bytes = width * 3
    source = noise or bytes(range(256))
    pixels = (source * (width * height * 3 // len(source) + 1))[:width * height * 3]
    raw = b"".join(b"\x00" + pixels[y * row_bytes:(y + 1) * row_bytes] for y in range(height))
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
              _chunk(b"sRGB", b"\x00")]
    if exif:
        chunks.append(_chunk(b"eXIf", tiff_with_gps()))
    if text:
        chunks += [_chunk(b"tEXt", b"Comment\x00" + text), _chunk(b"tIME", b"\x07\xea\x0b\x1b\x0a\x00\x00")]
    chunks += [_chunk(b"IDAT", zlib.compress(raw, 1)), _chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + trailer


def png_html_polyglot() -> bytes:
    """A valid PNG that is also "HTML" to a sniffing browser: a script in a text chunk and after IEND."""
    return png(text=SCRIPT, exif=False, trailer=SCRIPT)


def webp(exif: bool = True) -> bytes:
    """An extended WebP: VP8X (EXIF and XMP flags set), a VP8L image chunk, EXIF and XMP chunks."""
    def chunk(fourcc: bytes, data: bytes) -> bytes:
        return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")

    # VP8L 1x1: signature 0x2f, 14-bit width-1 and height-1 (0), alpha 0, version 0, then a tiny image stream.
    image = chunk(b"VP8L", b"\x2f\x00\x00\x00\x00\x07\x10\x11\x08\x88\x88\x00")
    flags = 0x08 | 0x04 if exif else 0
    body = chunk(b"VP8X", bytes([flags, 0, 0, 0]) + b"\x00\x00\x00" + b"\x00\x00\x00") + image
    if exif:
        body += chunk(b"EXIF", tiff_with_gps()) + chunk(b"XMP ", b"<x:xmpmeta>" + SECRET_TEXT + b"</x:xmpmeta>")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def heic() -> bytes:
    """An ISO-BMFF HEIC container: ftyp, a meta box naming an hvc1 item and an Exif item (iinf, iloc), and mdat.

    The hvc1 item's bytes are a placeholder, not a decodable HEVC picture: the test is about where metadata lives.
    """
    ftyp = _box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic")
    image = b"\x00\x00\x00\x10HEVC-PLACEHOLDER"
    exif_item = b"\x00\x00\x00\x00" + tiff_with_gps()
    hdlr = _box(b"hdlr", b"\x00" * 4 + b"\x00" * 4 + b"pict" + b"\x00" * 12 + b"\x00")
    infe = [_box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", item, 0) + kind + b"\x00")
            for item, kind in ((1, b"hvc1"), (2, b"Exif"))]
    iinf = _box(b"iinf", b"\x00\x00\x00\x00" + struct.pack(">H", 2) + b"".join(infe))

    def meta_with(offsets: tuple[int, int]) -> bytes:
        iloc = _box(b"iloc", b"\x00\x00\x00\x00" + bytes([0x44, 0x00]) + struct.pack(">H", 2)
                    + struct.pack(">HHHII", 1, 0, 1, offsets[0], len(image))
                    + struct.pack(">HHHII", 2, 0, 1, offsets[1], len(exif_item)))
        return _box(b"meta", b"\x00\x00\x00\x00" + hdlr + iinf + iloc)

    mdat_start = len(ftyp) + len(meta_with((0, 0))) + 8
    meta = meta_with((mdat_start, mdat_start + len(image)))
    return ftyp + meta + _box(b"mdat", image + exif_item)


def pdf(text: bytes = b"Training plan for Client A1", pad_to: int = 0) -> bytes:
    """A one-page PDF with a text stream; `pad_to` adds a comment block to reach a size (for range tests)."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    if pad_to > len(out):
        filler = b"% " + b"0123456789abcdef" * 8 + b"\n"
        out += filler * ((pad_to - len(out)) // len(filler) + 1)
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return out


def html_as_png() -> bytes:
    return b"<!DOCTYPE html>\n" + SCRIPT


def heic_extent_bomb(entries: int = 330, extents: int = 65_535, wanted: bool = False) -> bytes:
    """A small HEIC whose `iloc` lists `entries` items, each with `extents` extents of zero bytes.

    With offset, length and base sizes all 0 an extent takes no bytes in the file, so 6 bytes describe 65,535 of
    them: a parser that walks extents one by one does work that the file's size does not bound. `wanted` points the
    entries at the Exif item (whose extents a stripper collects) instead of at the image item.
    """
    ftyp = _box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic")
    hdlr = _box(b"hdlr", b"\x00" * 4 + b"\x00" * 4 + b"pict" + b"\x00" * 12 + b"\x00")
    infe = [_box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", item, 0) + kind + b"\x00")
            for item, kind in ((1, b"hvc1"), (2, b"Exif"))]
    iinf = _box(b"iinf", b"\x00\x00\x00\x00" + struct.pack(">H", 2) + b"".join(infe))
    item = 2 if wanted else 1
    iloc = _box(b"iloc", b"\x00\x00\x00\x00" + bytes([0x00, 0x00]) + struct.pack(">H", entries)
                + struct.pack(">HHH", item, 0, extents) * entries)
    meta = _box(b"meta", b"\x00\x00\x00\x00" + hdlr + iinf + iloc)
    return ftyp + meta + _box(b"mdat", b"\x00" * 16)
