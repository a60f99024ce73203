"""The browser app: files under static/, and index.html for every other path outside /api/ and /ws/.

Caching, so a returning browser asks for almost nothing:
- fingerprinted assets (`app.1a2b3c4d.js`: the name changes whenever the content does) are cached for a year,
  `immutable`;
- everything else, index.html included, is `no-cache` with an ETag: the browser revalidates and gets a 304.
A `NAME.gz` beside a file is sent instead of it to browsers that accept gzip (no compression work per request);
other text is compressed on the fly by the gzip middleware. index.html is kept in memory for five minutes, since
every page load of the app starts with it.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

from elior.paths import STATIC_DIR
from elior.web.errors import ApiError
from elior.web.routing import PUBLIC

INDEX_TTL_SECONDS = 300.0
FINGERPRINTED = re.compile(r"\.[0-9a-fA-F]{8,}\.[A-Za-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def static_file(relative: str, root: Path | None = None) -> Path | None:
    """The file under static/ that `relative` names, or None; never a path outside static/, whatever it says."""
    if not relative or "\x00" in relative:
        return None
    root = (root or STATIC_DIR).resolve()
    try:
        candidate = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    etag: str
    loaded_at: float


class IndexPage:
    """index.html in memory, re-read at most every `ttl` seconds (a deploy that changes it shows within that)."""

    def __init__(self, ttl: float = INDEX_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._page: CachedPage | None = None

    def get(self) -> CachedPage:
        now = time.monotonic()
        if self._page is None or now - self._page.loaded_at >= self.ttl:
            body = (STATIC_DIR / "index.html").read_bytes()
            self._page = CachedPage(body, f'W/"{hashlib.sha256(body).hexdigest()[:32]}"', now)
        return self._page


INDEX = IndexPage()


def _not_modified(request_headers: Headers, etag: str) -> bool:
    """If-None-Match, compared weakly as RFC 9110 asks for GET."""
    wanted = request_headers.get("if-none-match")
    if not wanted:
        return False
    if wanted.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in wanted.split(","))


def _accepts_gzip(request_headers: Headers) -> bool:
    for part in request_headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _file_etag(path: Path) -> str:
    stat = path.stat()
    return f'W/"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def file_response(path: Path, request_headers: Headers) -> Response:
    """One static file, with its cache policy, its ETag (and 304), and its `.gz` twin where that exists."""
    cache_control = IMMUTABLE if FINGERPRINTED.search(path.name) else REVALIDATE
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type in {"application/javascript", "image/svg+xml"}:
        media_type += "; charset=utf-8"
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    twin = path.with_name(path.name + ".gz")
    serve = path
    if path.suffix != ".gz" and _accepts_gzip(request_headers) and twin.is_file():
        serve = twin
        headers["Content-Encoding"] = "gzip"
    etag = _file_etag(serve)
    headers["ETag"] = etag
    if _not_modified(request_headers, etag):
        return Response(status_code=304, headers=headers)
    return FileResponse(serve, media_type=media_type, headers=headers)


def index_response(request_headers: Headers) -> Response:
    page = INDEX.get()
    headers = {"Cache-Control": REVALIDATE, "ETag": page.etag}
    if _not_modified(request_headers, page.etag):
        return Response(status_code=304, headers=headers)
    return Response(page.body, media_type="text/html; charset=utf-8", headers=headers)


async def serve(request: Request) -> Response:
    """A static file when one exists at that path, else the SPA's index.html (its router takes it from there).

    A plain route, not `api()`: the app's own pages take query strings (`/setup?token=...`) no schema describes,
    and the browser app is not part of the API document.
    """
    path: str = request.path_params.get("path", "")
    if path.startswith(("api/", "ws/")) or path in {"api", "ws"}:
        raise ApiError(404, f"no route for /{path}")
    found = static_file(path)
    if found is not None:
        return file_response(found, request.headers)
    return index_response(request.headers)


class AppRoute(Route):
    """The catch-all that never claims /api/ or /ws/: there an unmatched path is a 404 from the router, not a 405
    from this GET-only route (`PUT /api/workouts/-1`, whose id the `int` converter refuses, is "no such route")."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path.startswith(("/api/", "/ws/")) or path in {"/api", "/ws"}:
            return Match.NONE, {}
        return super().matches(scope)


def route() -> Route:
    """The catch-all, last in the route table. It declares its access like every other route."""
    catch_all = AppRoute("/{path:path}", serve, methods=["GET"], name="spa")
    catch_all.access = PUBLIC  # type: ignore[attr-defined]
    return catch_all
