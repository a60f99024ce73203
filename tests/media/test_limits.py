"""Parsers of untrusted bytes do work bounded by what they read: crafted files are refused for their structure, and
an upload past its CPU budget is a 422 with nothing kept (on a real server process)."""
from __future__ import annotations

import contextvars
import io
from pathlib import Path
from typing import Iterator

import httpx2 as httpx
import pytest

from elior.media import exif, heif, limits
from tests import samples
from tests.files_server import FilesServer, files_server

MB = 1024 * 1024


def strip_with(budget_seconds: float, kind: str, data: bytes) -> bytes:
    """exif.strip inside a context whose upload budget is `budget_seconds`, as uploads.receive would set it."""
    def run() -> bytes:
        limits.start(budget_seconds)
        out = io.BytesIO()
        exif.strip(kind, io.BytesIO(data), out)
        return out.getvalue()
    return contextvars.copy_context().run(run)


def test_extent_bomb_is_2_kb() -> None:
    data = samples.heic_extent_bomb()
    assert len(data) < 2200
    assert data.count(b"\xff\xff") >= 330  # 330 entries claiming 65,535 extents each: 21 million extents


@pytest.mark.parametrize("wanted", [False, True])
def test_extent_bomb_is_refused_for_its_structure_not_for_the_time_it_took(wanted: bool) -> None:
    # A budget no file reaches: the refusal must come from the count of extents, before the work is done.
    with pytest.raises(limits.TooComplex) as refused:
        strip_with(3600.0, "heic", samples.heic_extent_bomb(entries=330 if not wanted else 5, wanted=wanted))
    assert "HEIF extents" in str(refused.value.detail)


def test_extents_of_items_that_are_not_metadata_are_stepped_over() -> None:
    # 65,535 empty extents of the image item in one entry: under the cap, skipped by arithmetic, nothing blanked.
    budget = limits.Budget(3600.0)
    with budget.running():
        ranges = heif.metadata_ranges(io.BytesIO(samples.heic_extent_bomb(entries=1)), budget)
    assert ranges == []


def test_a_real_heic_still_has_its_exif_blanked() -> None:
    out = strip_with(3600.0, "heic", samples.heic())
    assert samples.SECRET_MAKE not in out and len(out) == len(samples.heic())


def test_many_boxes_are_refused() -> None:
    data = samples.heic()
    free = b"\x00\x00\x00\x08free" * (limits.MAX_BOXES + 1)
    with pytest.raises(limits.TooComplex):
        strip_with(3600.0, "heic", data[:24] + free + data[24:])


def test_jpeg_fill_bytes_are_counted() -> None:
    data = samples.jpeg(exif=False)
    # The marker's own 0xFF, then one fill byte more than allowed.
    padded = data.replace(b"\xff\xdb", b"\xff" * (limits.MAX_FILL_BYTES + 2) + b"\xdb", 1)
    with pytest.raises(limits.TooComplex):
        strip_with(3600.0, "jpeg", padded)


def test_jpeg_standalone_markers_are_counted() -> None:
    data = samples.jpeg(exif=False)
    flood = b"\xff\xd0" * (limits.MAX_SEGMENTS + 1)  # restart markers outside a scan: 2 bytes each
    with pytest.raises(limits.TooComplex):
        strip_with(3600.0, "jpeg", data[:2] + flood + data[2:])


def test_png_chunks_are_counted() -> None:
    data = samples.png(exif=False, text=b"")
    ihdr_end = 8 + 25
    empty = b"\x00\x00\x00\x00prVt\x00\x00\x00\x00" * (limits.MAX_CHUNKS + 1)
    with pytest.raises(limits.TooComplex):
        strip_with(3600.0, "png", data[:ihdr_end] + empty + data[ihdr_end:])


def test_webp_chunks_are_counted() -> None:
    data = samples.webp(exif=False)
    body = data[12:] + b"JUNK\x00\x00\x00\x00" * (limits.MAX_CHUNKS + 1)
    riff = b"RIFF" + (4 + len(body)).to_bytes(4, "little") + b"WEBP" + body
    with pytest.raises(limits.TooComplex):
        strip_with(3600.0, "webp", riff)


def test_the_budget_adds_up_across_stretches_and_threads() -> None:
    budget = limits.Budget(3600.0)
    with budget.running():
        sum(range(200_000))
    first = budget.spent
    assert first > 0
    with budget.running(), budget.running():  # nested: counted once
        sum(range(200_000))
    assert budget.spent > first
    assert budget.used() == budget.spent  # nothing running now


def test_an_exhausted_budget_refuses_with_a_clear_422() -> None:
    with pytest.raises(limits.TooComplex) as refused:
        strip_with(-1.0, "pdf", samples.pdf())
    assert refused.value.status_code == 422
    assert "UPLOAD_PARSE_SECONDS" in refused.value.detail[0]["msg"]


def test_a_parser_outside_an_upload_gets_a_default_budget() -> None:
    budget = contextvars.copy_context().run(limits.current)
    assert budget.seconds == limits.DEFAULT_SECONDS


# --- on a real server process ---

@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[FilesServer]:
    with files_server(database_url, tmp_path / "live") as running:  # the default budget
        yield running


@pytest.fixture
def tight_server(database_url: str, tmp_path: Path) -> Iterator[FilesServer]:
    # 1 ms of CPU: parsing, copying and hashing a 9 MB PDF takes over ten times that.
    with files_server(database_url, tmp_path / "live", UPLOAD_PARSE_SECONDS="0.001") as running:
        yield running


def _upload(server: FilesServer, data: bytes, purpose: str, name: str) -> httpx.Response:
    return httpx.post(f"{server.url}/api/files/upload", headers={"Authorization": f"Bearer {server.token}"},
                      data={"purpose": purpose}, files={"file": (name, data, "application/octet-stream")},
                      timeout=60)


def _kept(server: FilesServer) -> list[str]:
    return sorted(p.name for p in server.upload_dir.iterdir()) if server.upload_dir.exists() else []


def test_crafted_heic_is_a_422_and_nothing_is_kept(server: FilesServer) -> None:
    response = _upload(server, samples.heic_extent_bomb(), "avatar", "bomb.heic")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status_code"] == 422 and body["detail"][0]["type"] == "value_error.too_complex"
    assert "HEIF extents" in body["detail"][0]["msg"]  # refused for its structure, long before the budget
    assert _kept(server) == []
    # The server is still free for the next request.
    assert _upload(server, samples.png(), "avatar", "ok.png").status_code == 201


def test_upload_over_its_cpu_budget_is_a_422_and_nothing_is_kept(tight_server: FilesServer) -> None:
    big = samples.pdf(pad_to=9 * MB)
    response = _upload(tight_server, big, "document", "big.pdf")
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "file"] and "UPLOAD_PARSE_SECONDS" in detail["msg"]
    assert _kept(tight_server) == []
    listing = httpx.get(f"{tight_server.url}/api/files", headers={"Authorization": f"Bearer {tight_server.token}"})
    assert listing.json()["total"] == 0  # no row either
