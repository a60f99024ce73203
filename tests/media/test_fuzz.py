"""Every parser of untrusted bytes, fuzzed: random bytes and mutations of real files either come back or raise the
parser's own clean error, never another exception, and never need the CPU budget to stop them (the structural
limits of elior.media.limits do). Each input also has a deadline, far above what any of them takes."""
from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from elior.media import crypto, exif, heif, limits, sniff, uploads
from elior.web.errors import ApiError
from tests import samples

FUZZ = settings(deadline=dt.timedelta(milliseconds=500), max_examples=400, database=None,
                suppress_health_check=[HealthCheck.too_slow])
BUDGET = 0.25  # CPU seconds: a parser that needs the budget to stop on a small input is unbounded somewhere
SEEDS = {"jpeg": samples.jpeg(), "png": samples.png(), "webp": samples.webp(), "heic": samples.heic(),
         "pdf": samples.pdf()}


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A real file with a few bytes flipped, inserted, deleted, duplicated or cut off."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        operation = draw(st.sampled_from(["flip", "set", "insert", "delete", "repeat", "truncate"]))
        if operation == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif operation == "set" and data:
            data[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x01]))
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif operation == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 64))] * draw(st.integers(1, 50))
        elif operation == "truncate":
            del data[at:]
    return bytes(data)


def prefixed(kind: str) -> st.SearchStrategy[bytes]:
    head = SEEDS[kind][:16]
    return st.binary(max_size=2048).map(lambda tail: head + tail)


def heic_with_iloc(payload: bytes, version: int, sizes: int) -> bytes:
    """The sample HEIC's items, with an `iloc` of the given version, field sizes and entries."""
    iloc = samples._box(b"iloc", bytes([version, 0, 0, 0]) + sizes.to_bytes(2, "big") + payload)
    hdlr = samples._box(b"hdlr", bytes(20) + b"\x00")
    infe = samples._box(b"infe", b"\x02\x00\x00\x00\x00\x02\x00\x00Exif\x00")
    iinf = samples._box(b"iinf", b"\x00\x00\x00\x00\x00\x01" + infe)
    meta = samples._box(b"meta", b"\x00\x00\x00\x00" + hdlr + iinf + iloc)
    return samples.heic()[:24] + meta + samples._box(b"mdat", bytes(64))


def strip_cleanly(kind: str, data: bytes) -> None:
    def run() -> None:
        budget = limits.start(BUDGET)
        try:
            exif.strip(kind, io.BytesIO(data), io.BytesIO())
        except exif.BadImage:
            pass
        except limits.TooComplex as error:
            assert "CPU" not in error.detail[0]["msg"], "stopped by the budget, not by a structural limit"
        assert budget.used() < BUDGET
    contextvars.copy_context().run(run)


@FUZZ
@given(st.sampled_from(sorted(SEEDS)).flatmap(lambda kind: st.tuples(st.just(kind), mutated(SEEDS[kind]))))
def test_strip_survives_mutated_real_files(case: tuple[str, bytes]) -> None:
    strip_cleanly(*case)


@FUZZ
@given(st.sampled_from(["jpeg", "png", "webp", "heic"]).flatmap(lambda kind: st.tuples(st.just(kind),
                                                                                        prefixed(kind))))
def test_strip_survives_random_bytes_behind_a_real_signature(case: tuple[str, bytes]) -> None:
    strip_cleanly(*case)


@FUZZ
@given(st.binary(max_size=512), st.sampled_from([0, 1, 2]), st.integers(0, 0xFFFF))
def test_heif_survives_any_iloc(payload: bytes, version: int, sizes: int) -> None:
    data = heic_with_iloc(payload, version, sizes)
    budget = limits.Budget(BUDGET)
    with budget.running():
        try:
            for start, end in heif.metadata_ranges(io.BytesIO(data), budget):
                assert 0 <= start <= end <= len(data)
        except heif.HeifError:
            pass
        except limits.TooComplex as error:
            assert "CPU" not in error.detail[0]["msg"]
    assert budget.used() < BUDGET


@FUZZ
@given(st.binary(max_size=sniff.HEAD_BYTES * 2) | mutated(SEEDS["heic"][:sniff.HEAD_BYTES]))
def test_sniff_never_raises(head: bytes) -> None:
    kind = sniff.sniff(head[:sniff.HEAD_BYTES])
    assert kind is None or kind in sniff.BY_CONTENT_TYPE.values()


@FUZZ
@given(st.binary(max_size=600) | mutated(samples.tiff_with_gps()))
def test_exif_orientation_never_raises(tiff: bytes) -> None:
    assert exif.exif_orientation(tiff) in {None, *range(1, 9)}


KEY = os.urandom(32)


def _sealed() -> bytes:
    out = io.BytesIO()
    encryptor = crypto.Encryptor(KEY, out, chunk_size=64)  # type: ignore[arg-type]
    encryptor.write(os.urandom(300))
    encryptor.finish()
    return out.getvalue()


@FUZZ
@given(mutated(_sealed()) | st.binary(max_size=400))
def test_decryptor_refuses_damage_with_a_crypto_error(sealed: bytes) -> None:
    with tempfile.TemporaryFile() as handle:
        handle.write(sealed)
        handle.seek(0)
        try:
            decryptor = crypto.Decryptor(KEY, handle)
            b"".join(decryptor.read_range(0, decryptor.size - 1))
        except crypto.CryptoError:
            pass


@FUZZ
@given(st.text(max_size=100))
def test_parse_key_refuses_with_a_value_error(text: str) -> None:
    try:
        assert len(crypto.parse_key(text)) == 32
    except ValueError:
        pass


BOUNDARY = b"fuzzboundary"


def _form(file: bytes) -> bytes:
    return (b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\navatar\r\n"
            b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
            b"Content-Type: image/png\r\n\r\n" + file + b"\r\n--" + BOUNDARY + b"--\r\n")


def _receive(body: bytes, chunk: int) -> Any:
    app = SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(upload_parse_seconds=BUDGET)))
    scope = {"type": "http", "method": "POST", "path": "/api/files/upload", "app": app, "query_string": b"",
             "headers": [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)]}
    pieces = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]

    async def receive() -> dict[str, Any]:
        piece = pieces.pop(0) if pieces else b""
        return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

    with tempfile.TemporaryDirectory() as scratch:
        return asyncio.run(uploads.receive(Request(scope, receive), Path(scratch) / "raw", 1))


@FUZZ
@given(mutated(_form(samples.png())) | st.binary(max_size=1024).map(lambda b: b"--" + BOUNDARY + b"\r\n" + b),
       st.integers(1, 4096))
def test_multipart_either_parses_or_answers_4xx(body: bytes, chunk: int) -> None:
    try:
        received = _receive(body, chunk)
    except ApiError as error:
        assert 400 <= error.status_code < 500
    else:
        assert received.has_file and set(received.fields) <= {"purpose", "client_id"}
