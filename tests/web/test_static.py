"""Static serving: the SPA fallback, cache headers, ETag/304, gzip (on the fly and precompressed), nothing outside."""
from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
from starlette.responses import StreamingResponse
from starlette.testclient import TestClient

from elior.web import spa
from elior.web.routing import PUBLIC, Call, api
from tests.helpers import assert_error

INDEX = b"<!doctype html><title>Elior</title><div id=app></div>" + b"<!-- padding -->" * 64


@pytest.fixture
def static(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A static/ folder of the test's own, with a secret beside it that must never be served."""
    root = tmp_path / "static"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "app.1a2b3c4d.js").write_text("console.log('fingerprinted');\n" * 40)
    (root / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'></svg>\n" * 30)
    (root / "plain.css").write_text("body { margin: 0 }\n" * 60)
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "secret.txt", root / "link-out.txt")
    monkeypatch.setattr(spa, "STATIC_DIR", root)
    monkeypatch.setattr(spa, "INDEX", spa.IndexPage())
    return root


@pytest.fixture
def web(client: TestClient, static: Path) -> Iterator[TestClient]:
    yield client


def test_fingerprinted_asset_is_cached_for_a_year(web: TestClient) -> None:
    response = web.get("/assets/app.1a2b3c4d.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "fingerprinted" in response.text


def test_plain_file_is_revalidated_with_an_etag(web: TestClient) -> None:
    response = web.get("/plain.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["etag"]
    assert response.headers["content-type"] == "text/css; charset=utf-8"


def test_matching_etag_is_a_304_without_body(web: TestClient) -> None:
    etag = web.get("/plain.css").headers["etag"]
    response = web.get("/plain.css", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


def test_changed_file_gets_a_new_etag(web: TestClient, static: Path) -> None:
    etag = web.get("/plain.css").headers["etag"]
    (static / "plain.css").write_text("body { margin: 1px }\n")
    os.utime(static / "plain.css", ns=(1, 10 ** 18))
    response = web.get("/plain.css", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "1px" in response.text


def test_unknown_path_serves_index_html(web: TestClient) -> None:
    response = web.get("/trainer/clients/4")
    assert response.status_code == 200
    assert response.content == INDEX
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"


def test_index_html_has_an_etag_and_answers_304(web: TestClient) -> None:
    etag = web.get("/").headers["etag"]
    assert web.get("/clients", headers={"If-None-Match": etag}).status_code == 304


def test_spa_page_with_a_query_string_serves_index_html(web: TestClient) -> None:
    response = web.get("/setup?token=abc.def")
    assert response.status_code == 200 and response.content == INDEX


def test_index_html_is_kept_in_memory_until_its_ttl(web: TestClient, static: Path) -> None:
    assert web.get("/").content == INDEX
    (static / "index.html").write_bytes(b"<!doctype html><p>new release</p>")
    assert web.get("/").content == INDEX
    spa.INDEX.ttl = 0.0  # as if five minutes had passed
    assert b"new release" in web.get("/").content


def test_text_is_gzipped_for_clients_that_accept_it(web: TestClient) -> None:
    response = web.get("/plain.css", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == "body { margin: 0 }\n" * 60  # the client decompressed it
    assert "accept-encoding" in response.headers["vary"].lower()


def test_text_is_plain_for_clients_that_do_not_accept_gzip(web: TestClient) -> None:
    response = web.get("/plain.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers


def test_json_is_gzipped_too(web: TestClient) -> None:
    response = web.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["openapi"] == "3.1.0"


def test_precompressed_twin_is_sent_as_is(web: TestClient, static: Path) -> None:
    # The twin's content differs on purpose: it proves the .gz file was sent rather than compressed on the fly.
    (static / "assets" / "logo.svg.gz").write_bytes(gzip.compress(b"<svg>from the twin</svg>"))
    response = web.get("/assets/logo.svg", headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert response.text == "<svg>from the twin</svg>"
    plain = web.get("/assets/logo.svg", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text.startswith("<svg xmlns")


def test_range_request_is_not_gzipped(web: TestClient) -> None:
    response = web.get("/plain.css", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.content == b"body { mar"
    assert "content-encoding" not in response.headers


def test_streamed_csv_is_gzipped_chunk_by_chunk(web: TestClient) -> None:
    async def rows() -> AsyncIterator[bytes]:
        yield b"date,weight_kg\n"
        for day in range(1, 29):
            yield f"2026-02-{day:02d},{70 + day / 10:.1f}\n".encode()

    async def export(call: Call) -> StreamingResponse:
        return StreamingResponse(rows(), media_type="text/csv; charset=utf-8")

    web.app.router.routes.insert(0, api("GET", "/api/probe.csv", export, access=PUBLIC))  # type: ignore[attr-defined]
    with web.stream("GET", "/api/probe.csv", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["content-encoding"] == "gzip"
        assert "content-length" not in response.headers
        raw = b"".join(response.iter_raw())
    text = zlib.decompress(raw, 16 + zlib.MAX_WBITS).decode()
    assert text.startswith("date,weight_kg\n2026-02-01,70.1\n") and text.endswith("2026-02-28,72.8\n")


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/link-out.txt",
    "/%2e%2e%2f%2e%2e%2fsetup.cfg", "/assets%2f..%2f..%2fsecret.txt", "/.%00./secret.txt",
])
def test_nothing_outside_static_is_ever_served(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert "TOP SECRET" not in response.text and "[tool:pytest]" not in response.text


def test_static_file_refuses_paths_outside_the_root(static: Path) -> None:
    assert spa.static_file("../secret.txt") is None
    assert spa.static_file("link-out.txt") is None
    assert spa.static_file("/etc/passwd") is None
    assert spa.static_file("plain.css") == (static / "plain.css").resolve()


@pytest.mark.parametrize("path", ["/api/nothing", "/ws/nothing", "/api"])
def test_api_and_ws_paths_are_never_the_spa(web: TestClient, path: str) -> None:
    assert_error(web.get(path), 404)


def test_real_static_folder_serves_the_app(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and b"<" in response.content
    assert client.get("/docs.css").headers["cache-control"] == "no-cache"
