"""Thumbnails (elior/media/thumbnails.py): the size, the orientation, the decompression-bomb limit, and a fuzz of the
maker with a deadline per input: every input either becomes a small JPEG or raises NoThumbnail, never anything else."""
from __future__ import annotations

import datetime as dt
import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from elior.media import exif, thumbnails
from tests import samples
from tests.media.test_fuzz import mutated

FUZZ = settings(deadline=dt.timedelta(milliseconds=1500), max_examples=300, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def photo(kind: str, size: tuple[int, int] = (1200, 800), orientation: int | None = None, mode: str = "RGB") -> bytes:
    """A real photo made with Pillow: a gradient, so the encoder has something to encode."""
    image = Image.linear_gradient("L").resize(size).convert(mode)
    out = io.BytesIO()
    extra = {}
    if orientation is not None:
        tags = Image.Exif()
        tags[0x0112] = orientation
        extra["exif"] = tags.tobytes()
    image.save(out, {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind], **extra)
    return out.getvalue()


def stripped(kind: str, data: bytes) -> bytes:
    """What the thumbnail maker is given in production: the bytes `exif.strip` wrote."""
    out = io.BytesIO()
    exif.strip(kind, io.BytesIO(data), out)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    image.load()
    return image


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_a_thumbnail_is_a_jpeg_of_320_px_on_the_longest_side(kind: str) -> None:
    thumb = thumbnails.make(stripped(kind, photo(kind)), kind)
    assert opened(thumb).size == (320, 213)
    assert len(thumb) < 40_000


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_a_file_open_on_the_stripped_bytes_makes_the_same_thumbnail(kind: str, tmp_path: Path) -> None:
    # A plain stored photo is read from its file as the decoder goes (storage.prepare_with_thumbnail).
    data = stripped(kind, photo(kind, orientation=6 if kind == "jpeg" else None))
    (tmp_path / "photo").write_bytes(data)
    with open(tmp_path / "photo", "rb") as source:
        from_file = thumbnails.make(source, kind)
    assert from_file == thumbnails.make(data, kind)
    assert opened(from_file).size == ((213, 320) if kind == "jpeg" else (320, 213))


def test_a_small_photo_is_not_enlarged() -> None:
    assert opened(thumbnails.make(photo("png", (40, 30)), "png")).size == (40, 30)


def test_the_exif_orientation_kept_by_the_stripper_turns_the_thumbnail_upright() -> None:
    data = stripped("jpeg", photo("jpeg", (1200, 800), orientation=6))
    assert b"Exif" in data  # the stripper keeps the orientation, and only it
    assert opened(thumbnails.make(data, "jpeg")).size == (213, 320)


def test_transparency_becomes_white() -> None:
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    thumb = opened(thumbnails.make(out.getvalue(), "png"))
    assert thumb.getpixel((5, 5)) == (255, 255, 255)


def test_heic_and_documents_get_none() -> None:
    assert not thumbnails.can_make("heic") and not thumbnails.can_make("pdf")
    with pytest.raises(thumbnails.NoThumbnail):
        thumbnails.make(samples.heic(), "heic")


def test_a_format_other_than_the_sniffed_one_is_not_decoded() -> None:
    """Pillow may try only the sniffed type's decoder: a PNG handed in as a JPEG is refused, not decoded."""
    with pytest.raises(thumbnails.NoThumbnail):
        thumbnails.make(photo("png"), "jpeg")


def bomb_png(width: int, height: int) -> bytes:
    """A PNG header claiming width x height pixels, with a few bytes of pixels: a decompression bomb's shape."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + samples._chunk(b"IHDR", ihdr) \
        + samples._chunk(b"IDAT", zlib.compress(b"\x00" * 4096)) + samples._chunk(b"IEND", b"")


@pytest.mark.parametrize("width, height", [(8001, 5000), (40_000, 40_000), (2**31 - 1, 2**31 - 1), (1, 2**31 - 1)])
def test_a_decompression_bomb_is_refused_before_decoding(width: int, height: int) -> None:
    assert Image.MAX_IMAGE_PIXELS == thumbnails.MAX_PIXELS
    started = time.perf_counter()
    with pytest.raises(thumbnails.NoThumbnail):
        thumbnails.make(bomb_png(width, height), "png")
    assert time.perf_counter() - started < 0.5


SEEDS = {kind: stripped(kind, photo(kind, (96, 64))) for kind in ("jpeg", "png", "webp")}
SEEDS_SMALL = {"jpeg": samples.jpeg(), "png": samples.png(), "webp": samples.webp()}


def make_cleanly(kind: str, data: bytes) -> None:
    try:
        thumb = thumbnails.make(data, kind)
    except thumbnails.NoThumbnail:
        return
    image = opened(thumb)
    assert max(image.size) <= thumbnails.MAX_SIDE


@FUZZ
@given(st.sampled_from(sorted(SEEDS)).flatmap(lambda kind: st.tuples(st.just(kind), mutated(SEEDS[kind]))))
def test_thumbnails_survive_mutated_real_photos(case: tuple[str, bytes]) -> None:
    make_cleanly(*case)


@FUZZ
@given(st.sampled_from(sorted(SEEDS_SMALL)).flatmap(lambda kind: st.tuples(
    st.just(kind), mutated(SEEDS_SMALL[kind]) | st.binary(max_size=2048).map(lambda t: SEEDS_SMALL[kind][:16] + t))))
def test_thumbnails_survive_random_bytes_behind_a_real_signature(case: tuple[str, bytes]) -> None:
    make_cleanly(*case)
