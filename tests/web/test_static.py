"""Static serving: the in-memory fingerprinted assets, the SPA fallback, cache headers, ETag/304, gzip (on the fly
and built once), nothing outside static/, nothing written into it."""
from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
import zlib
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
from starlette.responses import StreamingResponse
from starlette.testclient import TestClient

from elior.web import assets, spa
from elior.web.routing import PUBLIC, Call, api
from tests.helpers import assert_error

TEMPLATE = "<!doctype html><title>Elior</title><!-- elior:assets --><div id=app></div>" + "<!-- padding -->" * 64
LEAF = "export const greeting = 'fingerprinted';\n" + "// padding\n" * 60


@pytest.fixture
def static(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A static/ folder of the test's own (app sources, a plain file), with a secret beside it never to be served."""
    root = tmp_path / "static"
    (root / "src").mkdir(parents=True)
    (root / "src" / "index.html").write_text(TEMPLATE)
    (root / "src" / "app.js").write_text('import { greeting } from "./leaf.js";\nconsole.log(greeting);\n')
    (root / "src" / "leaf.js").write_text(LEAF)
    (root / "src" / "style.css").write_text("main { margin: 0 }\n" * 40)
    (root / "plain.css").write_text("body { margin: 0 }\n" * 60)
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "secret.txt", root / "link-out.txt")
    monkeypatch.setattr(spa, "STATIC_DIR", root)
    monkeypatch.setattr(spa, "BUNDLE", assets.Bundle(ttl=3600.0))  # rebuilt only when a test says so
    return root


@pytest.fixture
def web(client: TestClient, static: Path) -> Iterator[TestClient]:
    yield client


def named_assets(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="/assets/([^"]+)"', page)


def leaf_name(web: TestClient) -> str:
    app_js = web.get("/assets/" + named_assets(web.get("/").text)[-1]).text
    found = re.search(r'"\./(leaf\.[0-9a-f]{10}\.js)"', app_js)
    assert found, app_js
    return found.group(1)


def test_page_names_the_fingerprinted_stylesheet_preload_and_entry(web: TestClient) -> None:
    page = web.get("/").text
    assert "<!-- elior:assets -->" not in page
    css, leaf, entry = named_assets(page)
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", css) and re.fullmatch(r"app\.[0-9a-f]{10}\.js", entry)
    assert f'<link rel="modulepreload" href="/assets/{leaf}">' in page and leaf == leaf_name(web)


def test_fingerprinted_asset_is_cached_for_a_year(web: TestClient) -> None:
    response = web.get(f"/assets/{leaf_name(web)}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.text == LEAF


def test_fingerprinted_asset_answers_304_to_its_etag(web: TestClient) -> None:
    first = web.get(f"/assets/{leaf_name(web)}")
    again = web.get(f"/assets/{leaf_name(web)}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_asset_is_sent_gzipped_as_built(web: TestClient) -> None:
    name = leaf_name(web)
    with web.stream("GET", f"/assets/{name}", headers={"Accept-Encoding": "gzip, deflate"}) as response:
        assert response.headers["content-encoding"] == "gzip"
        raw = b"".join(response.iter_raw())
    # Byte for byte the build's own gzip (compressed once), not a second compression by the middleware.
    assert raw == spa.current().assets[name].gzipped and gzip.decompress(raw).decode() == LEAF
    plain = web.get(f"/assets/{name}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == LEAF
    assert "accept-encoding" in plain.headers["vary"].lower()


@pytest.mark.parametrize("path", ["/assets/leaf.0123456789.js", "/assets/leaf.js", "/assets/", "/assets/x/../app.js"])
def test_unknown_asset_is_a_404_not_the_page(web: TestClient, path: str) -> None:
    assert_error(web.get(path), 404)


def test_a_stale_copy_on_disk_under_assets_is_never_served(web: TestClient, static: Path) -> None:
    (static / "assets").mkdir()
    (static / "assets" / "app.1a2b3c4d5e.js").write_text("console.log('left over from an old checkout');\n")
    assert_error(web.get("/assets/app.1a2b3c4d5e.js"), 404)


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


def test_unknown_path_serves_the_page(web: TestClient) -> None:
    response = web.get("/trainer/clients/4")
    assert response.status_code == 200
    assert response.content == spa.current().index and b"<title>Elior</title>" in response.content
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"


def test_page_has_an_etag_and_answers_304(web: TestClient) -> None:
    etag = web.get("/").headers["etag"]
    assert web.get("/clients", headers={"If-None-Match": etag}).status_code == 304


def test_spa_page_with_a_query_string_serves_the_page(web: TestClient) -> None:
    response = web.get("/setup?token=abc.def")
    assert response.status_code == 200 and response.content == spa.current().index


def test_a_changed_source_is_rebuilt_under_new_names_at_the_next_check(web: TestClient, static: Path) -> None:
    page, old_leaf = web.get("/").text, leaf_name(web)
    (static / "src" / "leaf.js").write_text("export const greeting = 'new release';\n")
    assert web.get("/").text == page  # kept in memory until the next check
    spa.BUNDLE.ttl = 0.0  # as if the check interval had passed
    new_page = web.get("/").text
    assert new_page != page and leaf_name(web) != old_leaf
    # The entry is renamed too (it imports the leaf), and the old names are gone.
    assert named_assets(new_page)[-1] != named_assets(page)[-1]
    assert "new release" in web.get(f"/assets/{leaf_name(web)}").text
    assert_error(web.get(f"/assets/{old_leaf}"), 404)


def test_a_broken_change_keeps_serving_the_last_good_build(web: TestClient, static: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    page = web.get("/").text
    (static / "src" / "app.js").write_text('import "./missing.js";\n')
    spa.BUNDLE.ttl = 0.0
    with caplog.at_level(logging.ERROR, logger="elior.spa"):
        assert web.get("/").text == page
        assert web.get(f"/assets/{leaf_name(web)}").status_code == 200
    assert any("do not build" in record.getMessage() for record in caplog.records)


def test_serving_writes_nothing_into_the_static_folder(web: TestClient, static: Path) -> None:
    before = sorted(static.rglob("*"))
    for name in named_assets(web.get("/").text):
        assert web.get(f"/assets/{name}").status_code == 200
    assert sorted(static.rglob("*")) == before


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


def test_a_clean_tree_of_sources_serves_every_module_of_the_app(client: TestClient, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """What a fresh clone holds (static/src/ and the reference page's files, nothing generated) is the whole app."""
    root = tmp_path / "static"
    shutil.copytree(spa.STATIC_DIR / "src", root / "src")
    for path in spa.STATIC_DIR.glob("docs.*"):
        shutil.copy(path, root / path.name)
    monkeypatch.setattr(spa, "STATIC_DIR", root)
    monkeypatch.setattr(spa, "BUNDLE", assets.Bundle())
    before = sorted(root.rglob("*"))
    pending, seen = named_assets(client.get("/").text), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        response = client.get(f"/assets/{name}")
        assert response.status_code == 200, name
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        pending += re.findall(r"""["']\./([\w-]+\.[0-9a-f]{10}\.js)["']""", response.text)
    # Every source module is reachable from the page (statically or by import()), and nothing was written.
    assert {name.split(".")[0] for name in seen} == {path.stem for path in (root / "src").glob("*.[jc]s*")}
    assert sorted(root.rglob("*")) == before
