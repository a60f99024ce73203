"""Type sniffing and metadata stripping on files built byte by byte (see tests/samples.py)."""
from __future__ import annotations

import io
import struct

import pytest

from elior.media import exif, sniff
from tests import samples


def stripped(kind: str, data: bytes) -> bytes:
    out = io.BytesIO()
    exif.strip(kind, io.BytesIO(data), out)
    return out.getvalue()


@pytest.mark.parametrize("maker, kind", [(samples.jpeg, sniff.JPEG), (samples.png, sniff.PNG),
                                         (samples.webp, sniff.WEBP), (samples.heic, sniff.HEIC),
                                         (samples.pdf, sniff.PDF)])
def test_sniff_knows_the_kept_types(maker: object, kind: sniff.Kind) -> None:
    assert sniff.sniff(maker()[:sniff.HEAD_BYTES]) is kind  # type: ignore[operator]


@pytest.mark.parametrize("head", [samples.html_as_png(), b"GIF89a" + bytes(20), b"PK\x03\x04" + bytes(20),
                                  b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00mif1avif" + bytes(8), b"", b"\xff\xd8"])
def test_sniff_refuses_everything_else(head: bytes) -> None:
    assert sniff.sniff(head[:sniff.HEAD_BYTES]) is None


def test_jpeg_without_metadata_comes_out_unchanged() -> None:
    original = samples.jpeg(exif=False)
    assert stripped("jpeg", original) == original


def test_jpeg_orientation_1_leaves_no_exif_at_all() -> None:
    payload = b"Exif\x00\x00" + samples.tiff_with_gps(orientation=1)
    segment = b"\xff\xe1" + struct.pack(">H", 2 + len(payload)) + payload
    data = samples.jpeg(exif=False).replace(b"\xff\xdb", segment + b"\xff\xdb", 1)
    out = stripped("jpeg", data)
    assert b"Exif" not in out and out == samples.jpeg(exif=False)


@pytest.mark.parametrize("size", [65_530, 65_535, 65_536, 65_537, 200_000])
def test_jpeg_scan_data_is_copied_exactly_across_read_blocks(size: int) -> None:
    # Entropy-coded data full of stuffed bytes and restart markers, with 0xFF landing on every block edge.
    pattern = b"\x12\xff\x00\x34\xff\xd0\x56\xff\xff\x00"
    scan_data = (pattern * (size // len(pattern) + 1))[:size]
    scan_data = scan_data.rstrip(b"\xff") + b"\x00"
    base = samples.jpeg(exif=False)
    sos = base.index(b"\xff\xda")
    header_end = sos + 2 + int.from_bytes(base[sos + 2:sos + 4], "big")
    data = base[:header_end] + scan_data + b"\xff\xd9"
    assert stripped("jpeg", data) == data


def test_jpeg_that_ends_inside_the_scan_is_bad() -> None:
    with pytest.raises(exif.BadImage):
        stripped("jpeg", samples.jpeg()[:-2])


def test_png_drops_private_chunks_and_what_follows_iend() -> None:
    data = samples.png(exif=False, text=b"", trailer=b"<html>")
    private = struct.pack(">I", 4) + b"prVt" + b"gps!" + b"\x00\x00\x00\x00"
    data = data.replace(b"\x00\x00\x00\x01sRGB", private + b"\x00\x00\x00\x01sRGB")
    out = stripped("png", data)
    assert b"prVt" not in out and not out.endswith(b"<html>") and b"sRGB" in out and b"IDAT" in out


def test_png_without_ihdr_first_is_bad() -> None:
    data = samples.png()
    with pytest.raises(exif.BadImage):
        stripped("png", data[:8] + data[33:])


def test_webp_chunk_running_past_the_end_is_bad() -> None:
    with pytest.raises(exif.BadImage):
        stripped("webp", samples.webp()[:40])


def test_webp_without_metadata_comes_out_unchanged() -> None:
    original = samples.webp(exif=False)
    assert stripped("webp", original) == original


def test_heic_without_meta_box_is_bad() -> None:
    with pytest.raises(exif.BadImage):
        stripped("heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x08mdat")


def test_heic_keeps_every_byte_but_the_exif_item() -> None:
    original = samples.heic()
    out = stripped("heic", original)
    changed = [i for i, (a, b) in enumerate(zip(original, out)) if a != b]
    exif_at = original.index(samples.tiff_with_gps()) - 4
    assert len(out) == len(original) and changed and min(changed) >= exif_at
    assert out[exif_at:] == bytes(len(original) - exif_at)  # the Exif item (last in mdat) is all zeros


@pytest.mark.browser
def test_stripped_photos_still_decode_in_chromium_with_their_orientation() -> None:
    """A real decoder (Debian's chromium) reads every stripped photo; the kept orientation still turns the JPEG."""
    import base64
    from pathlib import Path

    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing (CI installs Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    photos = {"jpeg": ("image/jpeg", samples.jpeg(blocks=4)), "png": ("image/png", samples.png()),
              "webp": ("image/webp", samples.webp()), "polyglot": ("image/png", samples.png_html_polyglot())}
    sizes = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            for name, (mime, data) in photos.items():
                kind = mime.split("/")[1]
                url = f"data:{mime};base64,{base64.b64encode(stripped(kind, data)).decode()}"
                sizes[name] = page.evaluate("""url => new Promise(done => { const image = new Image();
                    image.onload = () => done([image.naturalWidth, image.naturalHeight]);
                    image.onerror = () => done(null); image.src = url; })""", url)
        finally:
            browser.close()
    # The JPEG is 32x8 pixels with EXIF orientation 6 (rotate 90): shown 8 wide and 32 high.
    assert sizes == {"jpeg": [8, 32], "png": [4, 4], "webp": [1, 1], "polyglot": [4, 4]}


@pytest.mark.parametrize("kind, maker", [("jpeg", samples.jpeg), ("png", samples.png), ("webp", samples.webp),
                                         ("heic", samples.heic)])
def test_every_truncation_is_bad_image_or_clean_never_a_crash(kind: str, maker: object) -> None:
    data = maker()  # type: ignore[operator]
    for cut in range(len(data)):
        broken = data[:cut] + bytes(7) + data[cut + 7:]  # also a damaged stretch, not only a short file
        for sample in (data[:cut], broken):
            try:
                stripped(kind, sample)
            except exif.BadImage:
                pass
